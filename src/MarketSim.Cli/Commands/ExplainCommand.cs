using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MarketSim.Cli.Experiments;
using MarketSim.Cli.Output;
using MarketSim.Client;
using MarketSim.Contracts;
using MarketSim.Model.Engine;
using Spectre.Console;

namespace MarketSim.Cli.Commands;

/// <summary>The options of one <c>marketsim explain</c>.</summary>
public sealed record ExplainOptions(string ScenarioPath, IReadOnlyList<string> Overrides, int Seeds, IReadOnlyList<string> Levers, string Metric,
    string? OutputDirectory, int? Parallel, string Engine, string? Gateway = null)
{
    /// <summary>Ticks averaged at each end of a series (1: the first and the last tick).</summary>
    public int Window { get; init; } = 1;
    public string ClusterId { get; init; } = ClusterDefaults.ClusterId;
    public string? ApiKey { get; init; }
}

/// <summary><c>marketsim explain SCENARIO [--seeds N] [--levers a,b,c] [--metric price-index|capability-price] [--out DIR]
/// [--parallel N] [--engine orleans|reference] [--gateway HOST:PORT] [--ticks N] [--window N] [--set PATH=VALUE]...</c>: splits the
/// change of each tier's price between the levers of docs/MODEL.md section 16 (exact Shapley shares over the 2^k lever
/// combinations, common random numbers, 95 % intervals over seeds).</summary>
public static class ExplainCommand
{
    internal static Command Create(CliContext context)
    {
        var scenario = CommonOptions.Scenario();
        var seeds = CommonOptions.Number<int>("--seeds", "Replications (seeds) of every lever combination (default 3)", "N", "a whole number",
            n => n is < 1 or > 1000 ? "must be 1 to 1000" : null);
        var levers = new Option<string>("--levers")
        {
            Description = $"Levers to split the change between, comma-separated, of {string.Join(", ", LeverSettings.Names)} (default {string.Join(",", DefaultLevers)}; scale acts on prices only through cash and exits, docs/MODEL.md section 16)",
            HelpName = "a,b,c",
        };
        var metric = CommonOptions.OneOf("--metric", "What to explain: each tier's price index, or the price of each fixed capability level",
            ExplainMetrics.PriceIndex, ExplainMetrics.Names);
        var output = new Option<string>("--out") { Description = "Output folder (default explain/<scenario>)", HelpName = "DIR" };
        var parallel = CommonOptions.Number<int>("--parallel", "Runs at once (default: the number of cores)", "N", "a whole number",
            n => n < 1 ? "must be at least 1" : null);
        var engine = CommonOptions.OneOf("--engine", "Engine: orleans (one embedded cluster for all runs, the default) or reference", EngineFactory.Orleans, EngineFactory.Names);
        var gateway = CommonOptions.Gateway("Run on a running cluster (orleans engine)");
        var ticks = CommonOptions.Number<int>("--ticks", "Horizon in ticks (same as --set ticks=N)", "N", "a whole number",
            n => n < 1 ? "must be at least 1" : null);
        var window = CommonOptions.Number<int>("--window", "Ticks averaged at each end of a series (default 1: the first tick against the last)", "N", "a whole number",
            n => n < 1 ? "must be at least 1" : null);
        var set = CommonOptions.Set();
        var cluster = new ClusterOptions();
        var command = new Command("explain", "Split each tier's price change between hardware, technique, competition and scale (Shapley shares with intervals)")
        {
            scenario, seeds, levers, metric, output, parallel, engine, gateway, ticks, window, set, cluster.ClusterId, cluster.ApiKeyFile,
        };
        command.SetAction((parsed, cancellationToken) =>
        {
            var overrides = new List<string>(parsed.GetValue(set) ?? []);
            if (parsed.GetValue(ticks) is { } t) overrides.Add(string.Create(CultureInfo.InvariantCulture, $"ticks={t}"));
            return ExecuteAsync(context, new ExplainOptions(parsed.GetRequiredValue(scenario), overrides, parsed.GetValue(seeds) ?? 3,
                ParseLevers(parsed.GetValue(levers)), parsed.GetValue(metric) ?? ExplainMetrics.PriceIndex, parsed.GetValue(output),
                parsed.GetValue(parallel), parsed.GetValue(engine) ?? EngineFactory.Orleans, parsed.GetValue(gateway))
            {
                ClusterId = cluster.ClusterIdOf(parsed), ApiKey = cluster.ApiKeyOf(parsed, "marketsim explain"),
                Window = parsed.GetValue(window) ?? 1,
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>The levers explained unless --levers says otherwise: the three causes the question names, entry and
    /// releases, which on the baseline hold most of what the three leave unexplained (docs/MODEL.md section 16). Scale is
    /// left out because overheads do not set prices in this engine (docs/MODEL.md sections 5 and 16).</summary>
    public static readonly string[] DefaultLevers = ["hardware", "technique", "competition", "entry", "releases"];

    /// <summary>The levers of --levers (<see cref="DefaultLevers"/> when absent); an unknown or repeated one is bad input.</summary>
    /// <exception cref="UsageException">With the lever and a fix.</exception>
    public static IReadOnlyList<string> ParseLevers(string? text)
    {
        if (text is null) return DefaultLevers;
        var levers = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return LeverExplanation.Check(levers) is { } problem
            ? throw new UsageException($"--levers: {problem} (fix: a comma-separated list of {string.Join(", ", LeverSettings.Names)}, e.g. --levers hardware,competition)")
            : levers;
    }

    public static async Task<int> ExecuteAsync(CliContext context, ExplainOptions options, CancellationToken cancellationToken)
    {
        if (LeverExplanation.Check(options.Levers) is { } problem)
            throw new UsageException($"--levers: {problem} (fix: a comma-separated list of {string.Join(", ", LeverSettings.Names)})");
        var scenario = ScenarioInput.Load(options.ScenarioPath, options.Overrides);
        var name = string.IsNullOrWhiteSpace(scenario.Name) ? Path.GetFileNameWithoutExtension(options.ScenarioPath) : scenario.Name;
        var outDir = options.OutputDirectory ?? Path.Combine("explain", name);
        RunFolder.EnsureWritable(outDir);
        var parallel = options.Parallel ?? Math.Max(1, Environment.ProcessorCount);
        var combinations = 1 << options.Levers.Count;
        var total = combinations * options.Seeds;
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {combinations} lever combinations ({string.Join(", ", options.Levers)}) × {options.Seeds} seeds = {total} runs of {scenario.Ticks} ticks, {parallel} at once ({options.Engine} engine)"));

        EngineSession? shared = null;
        if (options.Engine == EngineFactory.Orleans)
            shared = await EngineFactory.CreateAsync(new EngineRequest(EngineFactory.Orleans, options.Gateway, null)
            {
                ClusterId = options.ClusterId, ApiKey = options.ApiKey,
            }, cancellationToken);
        var clock = Stopwatch.StartNew();
        Explanation explanation;
        try
        {
            var cluster = shared?.Cluster;
            var runner = new ExperimentRunner(() => cluster is null ? new ReferenceSimulation() : new OrleansSimulation(cluster))
            {
                Replications = options.Seeds, RootSeed = scenario.Seed, Parallelism = parallel,
            };
            var done = 0;
            var width = total.ToString(CultureInfo.InvariantCulture).Length;
            var sync = new object();
            explanation = await LeverExplanation.RunAsync(runner, scenario, options.Levers, options.Metric, options.Window, r =>
            {
                var n = Interlocked.Increment(ref done);
                lock (sync)
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[{n.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{total}] {r.Variant}/{r.Replication} done ({clock.Elapsed.TotalSeconds:0} s)"));
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Err.WriteLineAsync("marketsim explain: interrupted; nothing was written");
            return ExitCodes.Interrupted;
        }
        finally
        {
            if (shared is not null) await shared.DisposeAsync();
        }

        await ExplainFiles.WriteAsync(outDir, explanation);
        var charts = ExplainCharts.Write(Path.Combine(outDir, "charts"), explanation);
        ExplainReport.Write(outDir, name, options, explanation, charts, clock.Elapsed);
        Print(context, explanation);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{total} runs in {clock.Elapsed.TotalSeconds:0} s; wrote {Path.Combine(outDir, ExplainFiles.CsvName)}, {ExplainFiles.ParquetName}, {ExplainFiles.RunsCsvName}, {ExplainReport.FileName} and {charts.Count} charts in {Path.Combine(outDir, "charts")}"));
        return ExitCodes.Success;
    }

    /// <summary>The table: per series, each lever's share of the log change with its interval, the residual and the total.</summary>
    public static void Print(CliContext context, Explanation explanation)
    {
        var table = new Table().AddColumns("series", "component", "log change", "95% CI", "share of change", "95% CI", "n");
        foreach (var c in table.Columns.Skip(2)) c.RightAligned();
        foreach (var r in explanation.Rows)
            table.AddRow(Markup.Escape(r.Series), Markup.Escape(r.Component), ExplainFiles.Show(r.LogChange?.Mean, "0.000"), ExplainFiles.Interval(r.LogChange, "0.000"),
                ExplainFiles.Show(r.Share?.Mean, "0.0%"), ExplainFiles.Interval(r.Share, "0.0%"), $"{r.LogChange?.N ?? 0}");
        context.Console.Write(table);
        foreach (var s in explanation.Series)
        {
            var check = explanation.Rows.FirstOrDefault(r => r.Series == s)?.SumCheck ?? 0;
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s}: shares + residual - total = {check:0.0e+0} at most over seeds (exact Shapley split; interactions are shared between the levers)"));
        }
    }
}
