#!/usr/bin/env dotnet
// What does a compression breakthrough do to a market already running? Runs config/scenarios/compression-breakthrough.yaml
// (without its own day-365 breakthrough) to the middle of its horizon on an embedded Orleans cluster, checkpoints it,
// forks it twice from that checkpoint, injects a breakthrough (tokens per GPU x2, 2 % quality lost, every provider)
// into one fork only, runs both to the end and compares, every run through its run handle (IRunHandle). Both forks share the past exactly: any difference is the
// breakthrough's.
//
//   dotnet run examples/compression-breakthrough.cs                 # two years, fork at day 365
//   dotnet run examples/compression-breakthrough.cs -- --ticks 40   # shorter (or MARKETSIM_TICKS=40)
#:project ../src/MarketSim.Silo/MarketSim.Silo.csproj
#:property PublishAot=false
using System.Globalization;
using MarketSim.Client;
using MarketSim.Model.Engine;
using MarketSim.Model.Scenarios;
using MarketSim.Silo;

var ticks = Option(args, "--ticks") ?? (int.TryParse(Environment.GetEnvironmentVariable("MARKETSIM_TICKS"), out var t) ? t : null);
var loaded = ScenarioLoader.Load(Path.Combine(RepoRoot(), "config", "scenarios", "compression-breakthrough.yaml"), ticks is { } n ? [$"ticks={n}"] : []);
if (!loaded.Ok) throw new InvalidOperationException(string.Join('\n', loaded.Problems));
var scenario = loaded.Scenario!;
scenario.Events.RemoveAll(e => e.Kind == "compression-breakthrough" && e.Tick is not null && e.Provider is null);
var forkAt = scenario.Ticks / 2;

await using var cluster = await EmbeddedCluster.StartAsync();
// An Orleans engine is one run id: one engine per run.
var trunk = await cluster.Engine().StartAsync(new MarketSetup(scenario), null, default);
var past = await trunk.AdvanceAsync(forkAt);
var checkpoint = await trunk.CheckpointAsync();
Console.WriteLine($"ran to tick {checkpoint.NextTick} ({past[^1].Date:yyyy-MM-dd}); forking");

var forkSetup = new MarketSetup(ScenarioJson.Deserialize(checkpoint.ScenarioJson));
var plain = await cluster.Engine().StartAsync(forkSetup, checkpoint, default);
var breakthrough = await cluster.Engine().StartAsync(forkSetup, checkpoint, default);
var at = await breakthrough.InjectAsync(new EventSpec { Kind = "compression-breakthrough", Factor = 2.0, Fraction = 0.02 });
Console.WriteLine($"injected a compression breakthrough at tick {at} into one fork");
var after = await Task.WhenAll(plain.AdvanceAsync(plain.Ticks - plain.NextTick), breakthrough.AdvanceAsync(breakthrough.Ticks - breakthrough.NextTick));
var (plainTicks, breakthroughTicks) = (after[0], after[1]);

var rows = new (string Label, Func<IReadOnlyList<TickObservation>, double> F, string Format)[]
{
    ("frontier price index at end, US$/M", o => o[^1].PriceIndex[0], "0.000"),
    ("mid price index at end, US$/M", o => o[^1].PriceIndex[1], "0.000"),
    ("small price index at end, US$/M", o => o[^1].PriceIndex[2], "0.0000"),
    ("consumer surplus after the fork, US$", o => o.Sum(x => x.ConsumerSurplusMicros) / 1e6, "N0"),
    ("providers' profit after the fork, US$", o => o.Sum(x => x.Providers.Sum(p => p.Total.ProfitMicros)) / 1e6, "N0"),
    ("tokens served after the fork", o => o.Sum(x => (double)x.TokensServed), "N0"),
    ("HHI at end", o => o[^1].Hhi, "0"),
};
Console.WriteLine();
Console.WriteLine($"{"",-40}{"no breakthrough",20}{"breakthrough",20}{"change",10}");
foreach (var (label, f, format) in rows)
{
    double a = f(plainTicks), b = f(breakthroughTicks);
    Console.WriteLine($"{label,-40}{a.ToString(format, CultureInfo.InvariantCulture),20}{b.ToString(format, CultureInfo.InvariantCulture),20}{(a != 0 ? ((b - a) / Math.Abs(a)).ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture) : "-"),10}");
}
var midA = plainTicks[^1].PriceIndex[1];
var midB = breakthroughTicks[^1].PriceIndex[1];
var surplusA = plainTicks.Sum(x => x.ConsumerSurplusMicros) / 1e6;
var surplusB = breakthroughTicks.Sum(x => x.ConsumerSurplusMicros) / 1e6;
Console.WriteLine();
Console.WriteLine($"Conclusion: {scenario.Ticks - at} days after a breakthrough at tick {at}, the mid-tier price index is {midB:0.000} US$/M " +
    $"against {midA:0.000} without it ({(midB - midA) / midA:+0.0%;-0.0%}), and customers gained {surplusB - surplusA:N0} US$ more surplus " +
    $"(one path per fork from the same checkpoint: the difference is the breakthrough's, not luck's).");
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
