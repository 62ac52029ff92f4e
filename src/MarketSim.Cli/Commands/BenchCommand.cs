using System.CommandLine;
using System.Text.Json;
using MarketSim.Cli.Bench;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim bench [--customers N] [--providers N] [--ticks N] [--repeat N] [--out FILE] [--scaling] [--silos N]</c>: the
/// baseline mix scaled (see <see cref="BenchScenario"/>), run with the reference engine and with the Orleans engine on one
/// embedded silo (or on a local cluster of N silos), each in its own child process (<c>bench-worker</c>, hidden) so that
/// peak memory is per engine.</summary>
public static class BenchCommand
{
    public static readonly int[] ScalingSizes = [10_000, 100_000, 1_000_000, 10_000_000];

    /// <summary>The horizon of <c>--scaling</c> unless <c>--ticks</c> says otherwise: the first 100 ticks, so that the
    /// 10M point takes minutes, not an hour (the scenario's 1095 ticks would be 10 times as long).</summary>
    public const int ScalingTicks = 100;

    /// <summary>Most silos <c>--silos</c> starts on this machine.</summary>
    public const int MaxSilos = 16;

    private static Option<int?> Positive(string name, string description) =>
        CommonOptions.Number<int>(name, description, "N", "a whole number", n => n < 1 ? "must be at least 1" : null);

    private static Option<string> ScenarioOption() => new("--scenario")
    {
        Description = "Scenario to scale (default config/scenarios/baseline.yaml)", HelpName = "FILE",
    };

    internal static Command Create(CliContext context)
    {
        var customers = Positive("--customers", "Customers (default 100000)");
        var providers = Positive("--providers", "Providers, clones of the baseline's eight (default 20)");
        var ticks = Positive("--ticks", "Ticks to run (default: the scenario's horizon, 1095 for the baseline)");
        var output = new Option<string>("--out") { Description = "JSON report (default bench.json)", HelpName = "FILE" };
        var scaling = new Option<bool>("--scaling") { Description = $"Also run 10k, 100k, 1M and 10M customers and report time per customer-tick at each (default --ticks {ScalingTicks})" };
        var silos = CommonOptions.Number<int>("--silos", $"Run the Orleans engine on a local cluster of N silos and Redis (scripts/cluster.sh), started and stopped for each run (default 1: one silo embedded in the worker; at most {MaxSilos})",
            "N", "a whole number", n => n < 1 ? "must be at least 1" : n > MaxSilos ? $"must be at most {MaxSilos}" : null);
        var repeat = Positive("--repeat", "Measure each size N times, alternating the engines, and report the run of median ratio with the spread (default 1)");
        var scenario = ScenarioOption();
        var command = new Command("bench", "Measure both engines on the baseline mix scaled to N customers and N providers; write a JSON report")
        {
            customers, providers, ticks, output, scaling, repeat, scenario, silos,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var n = parsed.GetValue(customers) ?? 100_000;
            var p = parsed.GetValue(providers) ?? 20;
            var path = parsed.GetValue(output) ?? "bench.json";
            var scenarioPath = ScenarioPath(parsed.GetValue(scenario));
            var baseline = ScenarioInput.Load(scenarioPath, []);   // bad input is reported here, not by a worker
            var t = parsed.GetValue(ticks) ?? (parsed.GetValue(scaling) ? Math.Min(ScalingTicks, baseline.Ticks) : baseline.Ticks);
            var times = parsed.GetValue(repeat) ?? 1;
            var siloCount = parsed.GetValue(silos) ?? 1;
            if (siloCount > 1 && LocalCluster.FindScript() is null)
                throw new UsageException("bench --silos: scripts/cluster.sh not found (fix: run from the repository)");
            var runs = await BenchRunner.RunRepeatedAsync(scenarioPath, n, p, t, times, context.Err, cancellationToken, siloCount);
            var main = BenchRunner.Median(runs);
            List<BenchPair>? sizes = null;
            if (parsed.GetValue(scaling))
            {
                sizes = [];
                foreach (var size in ScalingSizes)
                    sizes.Add(size == n ? main : BenchRunner.Median(await BenchRunner.RunRepeatedAsync(scenarioPath, size, p, t, times, context.Err, cancellationToken, siloCount)));
                await context.Out.WriteLineAsync(BenchRunner.ScalingTable(sizes));
            }
            var report = BenchRunner.Report(n, p, t, main, sizes, runs);
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, report.ToJsonString(BenchWorker.Json) + "\n", cancellationToken);
            var spread = times > 1 ? FormattableString.Invariant($", median of {times} (from {runs.Min(r => r.Ratio):F2} to {runs.Max(r => r.Ratio):F2})") : "";
            await context.Out.WriteLineAsync(FormattableString.Invariant(
                $"orleans / reference = {main.Ratio:F2} ({main.Orleans.CustomerTicksPerSecond / 1e6:F2} / {main.Reference.CustomerTicksPerSecond / 1e6:F2} M customer-ticks/s){spread}; report: {full}"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The hidden worker: one engine, figures as JSON on standard output.</summary>
    internal static Command CreateWorker(CliContext context)
    {
        var engine = CommonOptions.OneOf("--engine", "Engine", EngineFactory.Reference, EngineFactory.Names);
        var customers = Positive("--customers", "Customers");
        var providers = Positive("--providers", "Providers");
        var ticks = Positive("--ticks", "Ticks");
        var scenario = ScenarioOption();
        var profile = new Option<bool>("--profile") { Description = "Time each phase of the reference engine instead" };
        var redis = new Option<string>("--redis") { Description = "The Orleans engine on this local cluster's Redis instead of an embedded silo", HelpName = "HOST:PORT" };
        var clusterId = new Option<string>("--cluster-id") { Description = "Its cluster id", HelpName = "ID" };
        var passwordFile = new Option<string>("--redis-password-file") { Description = "Its Redis password", HelpName = "FILE" };
        var command = new Command("bench-worker", "Internal: one engine of marketsim bench")
        {
            engine, customers, providers, ticks, scenario, profile, redis, clusterId, passwordFile,
        };
        command.Hidden = true;
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var baseline = ScenarioInput.Load(ScenarioPath(parsed.GetValue(scenario)), []);
            var scaled = BenchScenario.Scale(baseline, parsed.GetValue(customers) ?? 100_000, parsed.GetValue(providers) ?? 20, parsed.GetValue(ticks) ?? baseline.Ticks);
            var cluster = parsed.GetValue(redis) is { } address
                ? new ClusterAddress(address, parsed.GetValue(clusterId) ?? MarketSim.Contracts.ClusterDefaults.ClusterId, parsed.GetValue(passwordFile) ?? "")
                : null;
            var figures = await BenchWorker.RunAsync(parsed.GetValue(engine) ?? EngineFactory.Reference, scaled, cancellationToken, parsed.GetValue(profile), cluster);
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(figures, BenchWorker.Json));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ScenarioPath(string? given) => given is not null
        ? Path.GetFullPath(given)
        : BenchScenario.FindBaseline() ?? throw new UsageException("bench: config/scenarios/baseline.yaml not found (fix: run from the repository or give --scenario FILE)");
}
