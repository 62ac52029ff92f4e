using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MarketSim.Cli.Experiments;
using MarketSim.Cli.Output;
using MarketSim.Client;
using MarketSim.Contracts;
using MarketSim.Model.Engine;
using Spectre.Console;

namespace MarketSim.Cli.Commands;

/// <summary>The options of one <c>marketsim sweep</c>.</summary>
/// <param name="OnRunFinished">Called after each run that finishes (tests use it to interrupt a sweep).</param>
public sealed record SweepOptions(string ExperimentPath, string? OutputDirectory, int? Parallel, string Engine, string? Gateway = null,
    Action<string>? OnRunFinished = null)
{
    /// <summary>The cluster behind --gateway: its id (--cluster-id) and API key (--api-key-file; null: none).</summary>
    public string ClusterId { get; init; } = ClusterDefaults.ClusterId;
    public string? ApiKey { get; init; }
}

/// <summary><c>marketsim sweep EXPERIMENT [--out DIR] [--parallel N] [--engine orleans|reference] [--gateway HOST:PORT]</c></summary>
public static class SweepCommand
{
    internal static Command Create(CliContext context)
    {
        var experiment = new Argument<string>("EXPERIMENT") { Description = "Experiment file (YAML), e.g. config/experiments/price-war.yaml" };
        var output = new Option<string>("--out") { Description = "Output folder (default sweeps/<experiment>); a sweep re-run into the same folder resumes", HelpName = "DIR" };
        var parallel = CommonOptions.Number<int>("--parallel", "Runs at once (default: the number of cores)", "N", "a whole number",
            n => n < 1 ? "must be at least 1" : null);
        var engine = CommonOptions.OneOf("--engine", "Engine: orleans (one embedded cluster for all runs, the default) or reference", EngineFactory.Orleans, EngineFactory.Names);
        var gateway = CommonOptions.Gateway("Run on a running cluster (orleans engine)");
        var cluster = new ClusterOptions();
        var command = new Command("sweep", "Run an experiment: variants × replications, then comparison.csv, report.html and charts")
        {
            experiment, output, parallel, engine, gateway, cluster.ClusterId, cluster.ApiKeyFile,
        };
        command.SetAction((parsed, cancellationToken) => ExecuteAsync(context, new SweepOptions(parsed.GetRequiredValue(experiment), parsed.GetValue(output),
            parsed.GetValue(parallel), parsed.GetValue(engine) ?? EngineFactory.Orleans, parsed.GetValue(gateway))
        {
            ClusterId = cluster.ClusterIdOf(parsed), ApiKey = cluster.ApiKeyOf(parsed, "marketsim sweep"),
        }, cancellationToken));
        return command;
    }

    private sealed record PlannedRun(Variant Variant, int Replication, ulong Seed, Scenario Scenario, string Directory, string Sha256, string ScenarioFile)
    {
        public string Label => $"{Variant.Name}/{Replication}";
    }

    public static async Task<int> ExecuteAsync(CliContext context, SweepOptions options, CancellationToken cancellationToken)
    {
        var (experiment, problems) = Experiment.Load(options.ExperimentPath);
        if (experiment is null)
            throw new UsageException(string.Join('\n', problems) + (problems.Count > 1 ? $"\n{problems.Count} problems; nothing was run" : "\nnothing was run"));
        var outDir = options.OutputDirectory ?? Path.Combine("sweeps", experiment.Name);
        var plan = new List<PlannedRun>();
        foreach (var (variant, r, seed) in ReplicationPlan.Of(experiment.Variants, experiment.Replications, experiment.Seed))
        {
            var overrides = new List<string>(experiment.CommonOverrides);
            overrides.AddRange(variant.Overrides);
            overrides.Add(string.Create(CultureInfo.InvariantCulture, $"seed={seed}"));
            var scenario = ScenarioInput.Load(experiment.ScenarioPath, overrides);
            var dir = Path.Combine(outDir, "runs", variant.Name, r.ToString(CultureInfo.InvariantCulture));
            plan.Add(new PlannedRun(variant, r, seed, scenario, dir, Fingerprint.OfText(ScenarioWriter.ToYaml(scenario)), experiment.ScenarioPath));
        }
        RunFolder.EnsureWritable(outDir);
        var todo = plan.Where(p => !IsComplete(p.Directory, p.Sha256)).ToList();
        var parallel = options.Parallel ?? Math.Max(1, Environment.ProcessorCount);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{experiment.Name}: {experiment.Variants.Count} variants × {experiment.Replications} replications = {plan.Count} runs; {plan.Count - todo.Count} already done, {todo.Count} to run, {parallel} at once ({options.Engine} engine)"));

        EngineSession? shared = null;
        if (options.Engine == EngineFactory.Orleans && todo.Count > 0)
            shared = await EngineFactory.CreateAsync(new EngineRequest(EngineFactory.Orleans, options.Gateway, null)
            {
                ClusterId = options.ClusterId, ApiKey = options.ApiKey,
            }, cancellationToken);
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var done = 0;
        try
        {
            var progress = new SweepProgress(context, todo.Count);
            await progress.RunAsync(async report =>
            {
                using var gate = new SemaphoreSlim(parallel);
                var tasks = todo.Select(async run =>
                {
                    await gate.WaitAsync(CancellationToken.None);
                    try
                    {
                        if (cancellationToken.IsCancellationRequested) return;
                        var clock = Stopwatch.StartNew();
                        var error = await RunOneAsync(run, options, experiment.SampleEvery, shared, cancellationToken);
                        if (cancellationToken.IsCancellationRequested && error is null && !IsComplete(run.Directory, run.Sha256)) return;
                        if (error is not null) failures[run.Label] = error;
                        var n = Interlocked.Increment(ref done);
                        report(run.Label, n, error, clock.Elapsed);
                        if (error is null) options.OnRunFinished?.Invoke(run.Label);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }).ToList();
                await Task.WhenAll(tasks);
            });
        }
        finally
        {
            if (shared is not null) await shared.DisposeAsync();
        }
        if (cancellationToken.IsCancellationRequested)
        {
            await context.Err.WriteLineAsync($"marketsim sweep: interrupted after {done} of {todo.Count} runs; run the same command again to resume");
            return ExitCodes.Interrupted;
        }

        var groups = experiment.Variants.Select(v =>
        {
            var runs = plan.Where(p => p.Variant == v).ToList();
            var complete = runs.Where(p => IsComplete(p.Directory, p.Sha256)).Select(p => p.Directory).ToList();
            return new RunGroup(v.Name, complete, runs.Count - complete.Count);
        }).ToList();
        var rows = Comparison.Compute(groups, experiment.Metrics);
        await Comparison.WriteAsync(outDir, rows);
        var charts = Charts.Write(Path.Combine(outDir, "charts"), groups);
        var failureLines = failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}: {f.Value}").ToList();
        Report.Write(outDir, experiment, rows, charts, failureLines);
        CompareCommand.Print(context, rows);
        await context.Out.WriteLineAsync($"wrote {Path.Combine(outDir, Comparison.CsvName)}, {Path.Combine(outDir, Report.FileName)} and {charts.Count} charts in {Path.Combine(outDir, "charts")}");
        if (failures.IsEmpty) return ExitCodes.Success;
        foreach (var f in failureLines) await context.Err.WriteLineAsync($"failed: {f}");
        await context.Err.WriteLineAsync($"marketsim sweep: {failures.Count} of {plan.Count} runs failed; the comparison counts the others (column n)");
        return ExitCodes.Failure;
    }

    /// <summary>A run folder is complete when its summary.json (written last) says so and was made from the same
    /// resolved scenario.</summary>
    public static bool IsCompleteRun(string directory) => IsComplete(directory, null);

    public static bool IsComplete(string directory, string? sha256)
    {
        var path = Path.Combine(directory, RunFiles.SummaryJson);
        if (!File.Exists(path)) return false;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            return root.GetProperty("completed").GetBoolean()
                && (sha256 is null || root.TryGetProperty("scenarioSha256", out var sha) && sha.GetString() == sha256);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <summary>Runs one planned run; returns null on success, else the error.</summary>
    private static async Task<string?> RunOneAsync(PlannedRun run, SweepOptions options, int? sampleEvery, EngineSession? shared, CancellationToken cancellationToken)
    {
        if (Directory.Exists(run.Directory)) Directory.Delete(run.Directory, recursive: true);   // a partial or stale run: start over
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var quiet = new CliContext(output, error, interactive: false);
        var runOptions = new RunOptions(run.Scenario.Name ?? "", [], options.Engine, run.Directory, null, null, null, Quiet: true)
        {
            NoReport = true,   // the sweep has its own report
            SampleEvery = sampleEvery,
        };
        Task<EngineSession> Create(EngineRequest request, CancellationToken ct) => Task.FromResult(shared?.Cluster is { } cluster
            ? new EngineSession(new OrleansSimulation(cluster)) { Cluster = cluster }
            : new EngineSession(new ReferenceSimulation()));
        try
        {
            var name = string.IsNullOrWhiteSpace(run.Scenario.Name) ? run.Variant.Name : run.Scenario.Name;
            var code = await RunCommand.ExecuteScenarioAsync(quiet, runOptions, run.Scenario, name, run.ScenarioFile, cancellationToken, Create);
            return code == ExitCodes.Success || cancellationToken.IsCancellationRequested ? null : $"exit code {code}: {error.ToString().Trim()}";
        }
        catch (Exception e) when ((e is not OperationCanceledException || !cancellationToken.IsCancellationRequested) && ApiKeyRefusedException.Find(e) is null)
        {
            // A refused API key fails every run alike: it ends the sweep (exit 2, Cli) rather than count as a failed run.
            return e.Message.ReplaceLineEndings(" ");
        }
    }

    /// <summary>Progress over runs: a Spectre bar on a terminal, one line per finished run otherwise.</summary>
    private sealed class SweepProgress(CliContext context, int total)
    {
        public async Task RunAsync(Func<Action<string, int, string?, TimeSpan>, Task> body)
        {
            if (!context.Interactive || total == 0)
            {
                var width = total.ToString(CultureInfo.InvariantCulture).Length;
                var sync = new object();
                await body((label, n, error, elapsed) =>
                {
                    lock (sync)
                        context.Out.WriteLine(error is null
                            ? string.Create(CultureInfo.InvariantCulture, $"[{n.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{total}] {label} done in {elapsed.TotalSeconds:0.0} s")
                            : $"[{n.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{total}] {label} FAILED: {error}");
                });
                return;
            }
            await context.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("runs", maxValue: total);
                    await body((label, n, error, _) =>
                    {
                        task.Value = n;
                        task.Description = error is null ? $"runs {n}/{total} (last {Markup.Escape(label)})" : $"[red]{Markup.Escape(label)} failed[/]";
                        if (error is not null) context.Console.MarkupLine($"[red]{Markup.Escape(label)} failed:[/] {Markup.Escape(error)}");
                    });
                });
        }
    }
}
