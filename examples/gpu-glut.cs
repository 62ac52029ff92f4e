#!/usr/bin/env dotnet
// Does a GPU glut lower API prices? config/scenarios/gpu-glut.yaml halves merchant GPU rental prices (H100, H200,
// B200) at tick 184; this compares it with the same market without the shock, over several seeds (common random
// numbers), on an embedded Orleans cluster through the client library.
//
//   dotnet run examples/gpu-glut.cs                  # the scenario's two years
//   dotnet run examples/gpu-glut.cs -- --ticks 60    # shorter (or MARKETSIM_TICKS=60): the shock moves in proportion
#:project ../src/MarketSim.Silo/MarketSim.Silo.csproj
#:property PublishAot=false
using System.Globalization;
using MarketSim.Client;
using MarketSim.Model.Engine;
using MarketSim.Model.Scenarios;
using MarketSim.Silo;

var ticks = Option(args, "--ticks") ?? (int.TryParse(Environment.GetEnvironmentVariable("MARKETSIM_TICKS"), out var t) ? t : null);
var seeds = Option(args, "--seeds") ?? 3;
var path = Path.Combine(RepoRoot(), "config", "scenarios", "gpu-glut.yaml");

await using var cluster = await EmbeddedCluster.StartAsync();
var results = new Dictionary<string, List<(double Mid, double Frontier, double Surplus, double Profit)>> { ["no glut"] = [], ["glut"] = [] };
for (var seed = 1; seed <= seeds; seed++)
    foreach (var variant in results.Keys)
    {
        var loaded = ScenarioLoader.Load(path, [$"seed={seed}"]);
        if (!loaded.Ok) throw new InvalidOperationException(string.Join('\n', loaded.Problems));
        var scenario = loaded.Scenario!;
        if (variant == "no glut") scenario.Events.RemoveAll(e => e.Kind == "gpu-price-shock");
        if (ticks is { } n && n < scenario.Ticks)
        {
            foreach (var e in scenario.Events.Where(e => e.Tick is not null)) e.Tick = e.Tick * n / scenario.Ticks;
            scenario.Ticks = n;
        }
        var run = await SimulationRun.StartAsync(cluster.Client.Cluster, scenario);
        await run.RunAsync();
        var last = run.Latest!;
        results[variant].Add((last.PriceIndex[1], last.PriceIndex[0], run.Observations.Sum(o => o.ConsumerSurplusMicros) / 1e6,
            run.Observations.Sum(o => o.Providers.Sum(p => p.Total.ProfitMicros)) / 1e6));
        Console.WriteLine($"  {variant,-7} seed {seed}: mid-tier price index at the end {last.PriceIndex[1]:0.000} US$/M tokens");
    }

Console.WriteLine();
Console.WriteLine($"GPU glut: {seeds} seeds, {ticks?.ToString(CultureInfo.InvariantCulture) ?? "730"} days; mean [95% CI]");
foreach (var (label, f, format) in new (string, Func<(double Mid, double Frontier, double Surplus, double Profit), double>, string)[]
{
    ("mid price index at end, US$/M", r => r.Mid, "0.000"), ("frontier price index at end", r => r.Frontier, "0.00"),
    ("consumer surplus, US$", r => r.Surplus, "N0"), ("providers' profit, US$", r => r.Profit, "N0"),
})
{
    Console.Write($"  {label,-30}");
    foreach (var (name, list) in results)
    {
        var (mean, _, low, high, _) = Estimate.Of([.. list.Select(f)])!;
        Console.Write($"  {name}: {mean.ToString(format, CultureInfo.InvariantCulture)} [{low.ToString(format, CultureInfo.InvariantCulture)}, {high.ToString(format, CultureInfo.InvariantCulture)}]");
    }
    Console.WriteLine();
}
var glutMid = Estimate.Of([.. results["glut"].Select(r => r.Mid)])!;
var plainMid = Estimate.Of([.. results["no glut"].Select(r => r.Mid)])!;
var change = (glutMid.Mean - plainMid.Mean) / plainMid.Mean;
Console.WriteLine();
Console.WriteLine($"Conclusion: with the glut the mid-tier price index ends {change:+0.0%;-0.0%} against no glut " +
    $"({(!glutMid.Overlaps(plainMid) ? "the intervals do not overlap: a clear effect" : "the intervals overlap: not conclusive with these seeds")}).");
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

