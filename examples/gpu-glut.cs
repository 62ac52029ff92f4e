#!/usr/bin/env dotnet
// Does a GPU glut lower API prices? config/scenarios/gpu-glut.yaml halves merchant GPU rental prices (H100, H200,
// B200) at tick 184; this compares it with the same market without the shock, over several replications with common
// random numbers, on an embedded Orleans cluster through the client library's ExperimentRunner.
//
//   dotnet run examples/gpu-glut.cs                  # the scenario's two years
//   dotnet run examples/gpu-glut.cs -- --ticks 60    # shorter (or MARKETSIM_TICKS=60): the shock moves in proportion
#:project ../src/MarketSim.Silo/MarketSim.Silo.csproj
#:property PublishAot=false
using System.Globalization;
using MarketSim.Client;
using MarketSim.Model.Scenarios;
using MarketSim.Silo;

var ticks = Option(args, "--ticks") ?? (int.TryParse(Environment.GetEnvironmentVariable("MARKETSIM_TICKS"), out var t) ? t : null);
var seeds = Option(args, "--seeds") ?? 3;
var loaded = ScenarioLoader.Load(Path.Combine(RepoRoot(), "config", "scenarios", "gpu-glut.yaml"));
var scenario = loaded.Scenario ?? throw new InvalidOperationException(string.Join('\n', loaded.Problems));
if (ticks is { } n && n < scenario.Ticks)
{
    foreach (var e in scenario.Events.Where(e => e.Tick is not null)) e.Tick = e.Tick * n / scenario.Ticks;
    scenario.Ticks = n;
}

await using var cluster = await EmbeddedCluster.StartAsync();
var experiment = new ExperimentRunner(() => cluster.Engine()) { Replications = seeds, Parallelism = Environment.ProcessorCount };
var results = await experiment.RunAsync(scenario,
    [ScenarioVariant.Changing("no glut", s => s.Events.RemoveAll(e => e.Kind == "gpu-price-shock")), ScenarioVariant.Base("glut")],
    o => (Mid: o[^1].PriceIndex[1], Frontier: o[^1].PriceIndex[0], Surplus: o.Sum(x => x.ConsumerSurplusMicros) / 1e6,
        Profit: o.Sum(x => x.Providers.Sum(p => p.Total.ProfitMicros)) / 1e6),
    r => Console.WriteLine($"  {r.Variant,-7} replication {r.Replication}: mid-tier price index at the end {r.Value.Mid:0.000} US$/M tokens"));

Console.WriteLine();
Console.WriteLine($"GPU glut: {seeds} seeds, {scenario.Ticks} days; mean [95% CI]");
Console.WriteLine(results.Row("mid price index at end, US$/M", r => r.Mid, "0.000"));
Console.WriteLine(results.Row("frontier price index at end", r => r.Frontier, "0.00"));
Console.WriteLine(results.Row("consumer surplus, US$", r => r.Surplus, "N0"));
Console.WriteLine(results.Row("providers' profit, US$", r => r.Profit, "N0"));
// Paired over the same seeds (common random numbers): each seed's luck cancels out of the difference.
var change = results.PairedDifference("glut", "no glut", r => r.Mid)!;
var plainMid = results.Estimate("no glut", r => r.Mid).Mean;
Console.WriteLine();
Console.WriteLine($"Conclusion: with the glut the mid-tier price index ends {change.Mean / plainMid:+0.0%;-0.0%} against no glut " +
    $"(glut − no glut, paired by seed: {change.ToString("0.000")} US$/M; " +
    $"{(change.ExcludesZero ? "the interval excludes 0: a clear effect" : "the interval includes 0: not conclusive with these seeds")}).");
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
