#!/usr/bin/env dotnet
// Is a price war worth it? The leader (frontier-a) of config/scenarios/price-war.yaml cuts its price and switches to
// undercutting two months in, and the others follow, versus the same market without those events; five seeds each
// (common random numbers: seed s in both variants), on an embedded Orleans cluster through the client library.
//
//   dotnet run examples/price-war.cs                 # the scenario's year
//   dotnet run examples/price-war.cs -- --ticks 90   # shorter (or MARKETSIM_TICKS=90); --seeds N for more seeds
#:project ../src/MarketSim.Silo/MarketSim.Silo.csproj
#:property PublishAot=false
using System.Globalization;
using MarketSim.Client;
using MarketSim.Model.Engine;
using MarketSim.Model.Scenarios;
using MarketSim.Silo;

var ticks = Option(args, "--ticks") ?? (int.TryParse(Environment.GetEnvironmentVariable("MARKETSIM_TICKS"), out var t) ? t : null);
var seeds = Option(args, "--seeds") ?? 5;
var path = Path.Combine(RepoRoot(), "config", "scenarios", "price-war.yaml");
const string leader = "frontier-a";

await using var cluster = await EmbeddedCluster.StartAsync();
var results = new Dictionary<string, List<Outcome>> { ["no war"] = [], ["war"] = [] };
for (var seed = 1; seed <= seeds; seed++)
    foreach (var variant in results.Keys)
    {
        var loaded = ScenarioLoader.Load(path, [$"seed={seed}"]);
        if (!loaded.Ok) throw new InvalidOperationException(string.Join('\n', loaded.Problems));
        var scenario = loaded.Scenario!;
        if (ticks is { } n && n < scenario.Ticks)
        {
            // A shorter horizon keeps the story: the war's events move in proportion (tick 60 of 365 -> tick 4 of 30).
            foreach (var e in scenario.Events.Where(e => e.Tick is not null)) e.Tick = e.Tick * n / scenario.Ticks;
            scenario.Ticks = n;
        }
        if (variant == "no war") scenario.Events.RemoveAll(e => e.Id?.StartsWith("war-", StringComparison.Ordinal) == true);
        var run = await SimulationRun.StartAsync(cluster.Client.Cluster, scenario);
        await run.RunAsync();
        var index = scenario.Providers.FindIndex(p => p.Id == leader);
        var o = run.Observations;
        results[variant].Add(new Outcome(
            o.Sum(x => x.Providers[index].Total.ProfitMicros) / 1e6,
            o[^1].ShareByTokens(index),
            o.Sum(x => x.Providers.Sum(p => p.Total.ProfitMicros)) / 1e6,
            o.Sum(x => x.ConsumerSurplusMicros) / 1e6,
            o.Sum(x => x.Exits)));
        Console.WriteLine($"  {variant,-6} seed {seed}: leader profit {results[variant][^1].LeaderProfit,16:N0} US$");
    }

Console.WriteLine();
Console.WriteLine($"Is a price war worth it? {seeds} seeds, {(ticks?.ToString(CultureInfo.InvariantCulture) ?? "365")} days; mean [95% CI]");
Row("leader profit, US$", r => r.LeaderProfit, "N0");
Row("leader final token share", r => r.LeaderShare, "P1");
Row("all providers' profit, US$", r => r.TotalProfit, "N0");
Row("consumer surplus, US$", r => r.Surplus, "N0");
Row("provider exits", r => r.Exits, "0.0");
var war = Estimate.Of([.. results["war"].Select(r => r.LeaderProfit)])!;
var peace = Estimate.Of([.. results["no war"].Select(r => r.LeaderProfit)])!;
var surplusGain = results["war"].Average(r => r.Surplus) - results["no war"].Average(r => r.Surplus);
var profitLoss = results["no war"].Average(r => r.TotalProfit) - results["war"].Average(r => r.TotalProfit);
Console.WriteLine();
Console.WriteLine(war.Mean < peace.Mean
    ? $"Conclusion: the war costs the leader {peace.Mean - war.Mean:N0} US$ of profit on average ({(!war.Overlaps(peace) ? "intervals do not overlap: a clear loss" : "intervals overlap: not conclusive with these seeds")}); "
    : $"Conclusion: the war earns the leader {war.Mean - peace.Mean:N0} US$ more on average ({(!war.Overlaps(peace) ? "intervals do not overlap: a clear gain" : "intervals overlap: not conclusive with these seeds")}); ");
Console.WriteLine($"customers gain {surplusGain:N0} US$ of surplus while providers together give up {profitLoss:N0} US$ of profit.");
return 0;

void Row(string label, Func<Outcome, double> f, string format)
{
    Console.Write($"  {label,-28}");
    foreach (var (name, list) in results)
    {
        var (mean, _, low, high, _) = Estimate.Of([.. list.Select(f)])!;
        Console.Write($"  {name}: {mean.ToString(format, CultureInfo.InvariantCulture)} [{low.ToString(format, CultureInfo.InvariantCulture)}, {high.ToString(format, CultureInfo.InvariantCulture)}]");
    }
    Console.WriteLine();
}


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
