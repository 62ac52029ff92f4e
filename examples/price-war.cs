#!/usr/bin/env dotnet
// Is a price war worth it? The leader (frontier-a) of config/scenarios/price-war.yaml cuts its price and switches to
// undercutting two months in, and the others follow, versus the same market without those events; five replications
// each with common random numbers (replication r runs with the same seed in both variants), on an embedded Orleans
// cluster through the client library's ExperimentRunner.
//
//   dotnet run examples/price-war.cs                 # the scenario's year
//   dotnet run examples/price-war.cs -- --ticks 90   # shorter (or MARKETSIM_TICKS=90); --seeds N for more replications
#:project ../src/MarketSim.Silo/MarketSim.Silo.csproj
#:property PublishAot=false
using System.Globalization;
using MarketSim.Client;
using MarketSim.Model.Scenarios;
using MarketSim.Silo;

var ticks = Option(args, "--ticks") ?? (int.TryParse(Environment.GetEnvironmentVariable("MARKETSIM_TICKS"), out var t) ? t : null);
var seeds = Option(args, "--seeds") ?? 5;
var loaded = ScenarioLoader.Load(Path.Combine(RepoRoot(), "config", "scenarios", "price-war.yaml"));
var scenario = loaded.Scenario ?? throw new InvalidOperationException(string.Join('\n', loaded.Problems));
if (ticks is { } n && n < scenario.Ticks)
{
    // A shorter horizon keeps the story: the war's events move in proportion (tick 60 of 365 -> tick 4 of 30).
    foreach (var e in scenario.Events.Where(e => e.Tick is not null)) e.Tick = e.Tick * n / scenario.Ticks;
    scenario.Ticks = n;
}
var leader = scenario.Providers.FindIndex(p => p.Id == "frontier-a");

await using var cluster = await EmbeddedCluster.StartAsync();
var experiment = new ExperimentRunner(() => cluster.Engine()) { Replications = seeds, Parallelism = Environment.ProcessorCount };
var results = await experiment.RunAsync(scenario,
    [
        ScenarioVariant.Changing("no war", s => s.Events.RemoveAll(e => e.Id?.StartsWith("war-", StringComparison.Ordinal) == true)),
        ScenarioVariant.Base("war"),
    ],
    o => new Outcome(
        LeaderProfit: o.Sum(x => x.Providers[leader].Total.ProfitMicros) / 1e6,
        LeaderShare: o[^1].ShareByTokens(leader),
        TotalProfit: o.Sum(x => x.Providers.Sum(p => p.Total.ProfitMicros)) / 1e6,
        Surplus: o.Sum(x => x.ConsumerSurplusMicros) / 1e6,
        Exits: o.Sum(x => x.Exits)),
    r => Console.WriteLine($"  {r.Variant,-6} replication {r.Replication}: leader profit {r.Value.LeaderProfit,16:N0} US$"));

Console.WriteLine();
Console.WriteLine($"Is a price war worth it? {seeds} seeds, {scenario.Ticks} days; mean [95% CI]");
Console.WriteLine(results.Row("leader profit, US$", r => r.LeaderProfit, "N0"));
Console.WriteLine(results.Row("leader final token share", r => r.LeaderShare, "P1"));
Console.WriteLine(results.Row("all providers' profit, US$", r => r.TotalProfit, "N0"));
Console.WriteLine(results.Row("consumer surplus, US$", r => r.Surplus, "N0"));
Console.WriteLine(results.Row("provider exits", r => r.Exits, "0.0"));
// Paired over the same seeds (common random numbers): each seed's luck cancels out of the difference.
var gain = results.PairedDifference("war", "no war", r => r.LeaderProfit)!;
var surplusGain = results.PairedDifference("war", "no war", r => r.Surplus)!;
var profitGain = results.PairedDifference("war", "no war", r => r.TotalProfit)!;
Console.WriteLine();
Console.WriteLine($"Conclusion: the war {(gain.Mean < 0 ? "costs" : "earns")} the leader {Math.Abs(gain.Mean):N0} US$ of profit on average " +
    $"(war − no war, paired by seed: {gain.ToString("N0")}; {(gain.ExcludesZero ? "the interval excludes 0: a clear " + (gain.Mean < 0 ? "loss" : "gain") : "the interval includes 0: not conclusive with these seeds")}); ");
Console.WriteLine($"customers gain {surplusGain.Mean:N0} US$ of surplus while providers together give up {-profitGain.Mean:N0} US$ of profit.");
return 0;

static int? Option(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
}

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        if (Directory.Exists(Path.Combine(dir.FullName, "config", "scenarios"))) return dir.FullName;
    throw new DirectoryNotFoundException("run from inside the MarketSim repository");
}

record Outcome(double LeaderProfit, double LeaderShare, double TotalProfit, double Surplus, double Exits);
