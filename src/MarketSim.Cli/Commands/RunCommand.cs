using MarketSim.Contracts;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using MarketSim.Cli.Output;
using MarketSim.Model.Engine;
using Spectre.Console;

namespace MarketSim.Cli.Commands;

/// <summary>The options of one <c>marketsim run</c>.</summary>
public sealed record RunOptions(
    string ScenarioPath,
    IReadOnlyList<string> Overrides,
    string Engine,
    string? OutputDirectory,
    double? Pace,
    string? Gateway,
    int? MetricsPort,
    bool Quiet,
    System.Net.IPAddress? MetricsAddress = null,
    int? DashboardPort = null)
{
    /// <summary>Redis of a cluster to run on (--redis), its id, the run id (new or to resume), checkpoints, TLS.</summary>
    public string? Redis { get; init; }
    public string ClusterId { get; init; } = MarketSim.Contracts.ClusterDefaults.ClusterId;
    public string? RunId { get; init; }
    public int CheckpointEvery { get; init; }
    public MarketSim.Client.ClusterTls? Tls { get; init; }
    public TimeSpan? ConnectTimeout { get; init; }
    /// <summary>--no-report: no report.html at the end.</summary>
    public bool NoReport { get; init; }
    /// <summary>The cluster's API key (--api-key-file) and the Redis password (--redis-password-file, MARKETSIM_REDIS_PASSWORD).</summary>
    public string? ApiKey { get; init; }
    public string? RedisPassword { get; init; }
    /// <summary>--force: empty a non-empty output folder first.</summary>
    public bool Force { get; init; }
    /// <summary>--sample-every N: write every N-th tick to the files; null: automatic (<see cref="RunSampling.For"/>).</summary>
    public int? SampleEvery { get; init; }
}

/// <summary>Where a fork starts: the checkpoint, and the run folder and tick it came from.</summary>
public sealed record ForkStart(RunCheckpoint Checkpoint, string ForkedFrom);

/// <summary><c>marketsim run SCENARIO [--seed N] [--ticks N] [--engine orleans|reference] [--set PATH=VALUE]...
/// [--out DIR] [--pace TICKS_PER_SECOND] [--gateway HOST:PORT] [--metrics-port N] [--quiet]</c></summary>
public static class RunCommand
{
    internal static Command Create(CliContext context)
    {
        var scenario = CommonOptions.Scenario();
        var seed = CommonOptions.Number<ulong>("--seed", "Root seed (same as --set seed=N)", "N", "a whole number from 0 up");
        var ticks = CommonOptions.Number<int>("--ticks", "Horizon in ticks (same as --set ticks=N)", "N", "a whole number",
            t => t < 1 ? "must be at least 1" : null);
        var engine = CommonOptions.OneOf("--engine", "Engine: orleans (distributed, the default) or reference (sequential, in this process)",
            EngineFactory.Orleans, EngineFactory.Names);
        var set = CommonOptions.Set();
        var output = new Option<string>("--out")
        {
            Description = "Output folder (default runs/<scenario>-<yyyyMMdd-HHmmss>)", HelpName = "DIR",
        };
        var pace = CommonOptions.Number<double>("--pace", "Run at most this many ticks per second", "TICKS_PER_SECOND", "a number",
            p => p > 0 && double.IsFinite(p) ? null : "must be a positive number of ticks per second");
        var gateway = CommonOptions.Gateway("Run on a running cluster through its gateway (orleans engine) instead of an embedded one");
        var metricsPort = CommonOptions.Port("--metrics-port", "Expose Prometheus metrics of the embedded cluster on this port (orleans engine)");
        var metricsAddress = CommonOptions.Address("--metrics-address", "Address of the metrics endpoint (default 127.0.0.1; 0.0.0.0 for every interface)");
        var dashboardPort = CommonOptions.Port("--dashboard-port", "Serve the Orleans Dashboard of the embedded cluster on this port (orleans engine)");
        var quiet = new Option<bool>("--quiet") { Description = "No progress and no summary table; print only the output folder" };
        var noReport = NoReportOption();
        var force = CommonOptions.Force();
        var cluster = new ClusterOptions();
        var runId = new Option<string>("--run-id")
        {
            Description = "With --redis: the run's id; if the cluster holds a run with this id (after a restart), it resumes from its last checkpoint",
            HelpName = "RUNID",
        };
        var checkpointEvery = CommonOptions.Number<int>("--checkpoint-every",
            "Every K ticks keep a checkpoint in the run folder (checkpoints/tick-000123.bin, for marketsim fork) and, on a cluster, " +
            $"a coordinated checkpoint in grain storage (with --redis the default is {EngineFactory.DefaultClusterCheckpointEvery})", "K", "a whole number",
            k => k < 1 ? "must be at least 1" : null);

        var sampleEvery = SampleEveryOption();
        var command = new Command("run", "Run a scenario and write its results (market.csv, providers.csv, segments.csv, summary.json)")
        {
            scenario, seed, ticks, engine, set, output, pace, gateway, metricsPort, metricsAddress, dashboardPort, quiet, runId, noReport, force,
            sampleEvery,
        };
        command.Options.Add(checkpointEvery);
        foreach (var option in cluster.All) command.Options.Add(option);
        command.SetAction((parsed, cancellationToken) =>
        {
            var overrides = new List<string>(parsed.GetValue(set) ?? []);
            if (parsed.GetValue(seed) is { } s) overrides.Add(string.Create(CultureInfo.InvariantCulture, $"seed={s}"));
            if (parsed.GetValue(ticks) is { } t) overrides.Add(string.Create(CultureInfo.InvariantCulture, $"ticks={t}"));
            RunOptions options = new(parsed.GetRequiredValue(scenario), overrides, parsed.GetValue(engine) ?? EngineFactory.Orleans,
                parsed.GetValue(output), parsed.GetValue(pace), parsed.GetValue(gateway), parsed.GetValue(metricsPort), parsed.GetValue(quiet),
                parsed.GetValue(metricsAddress), parsed.GetValue(dashboardPort))
            {
                Redis = parsed.GetValue(cluster.Redis), ClusterId = cluster.ClusterIdOf(parsed), RunId = parsed.GetValue(runId),
                CheckpointEvery = parsed.GetValue(checkpointEvery) ?? 0, ConnectTimeout = cluster.TimeoutOf(parsed),
                NoReport = parsed.GetValue(noReport),
                Force = parsed.GetValue(force),
                SampleEvery = parsed.GetValue(sampleEvery),
            };
            try { options = options with { Tls = cluster.TlsOf(parsed), ApiKey = cluster.ApiKeyOf(parsed), RedisPassword = cluster.RedisPasswordOf(parsed) }; }
            catch (ArgumentException e) { throw new UsageException($"marketsim run: {e.Message}"); }
            return ExecuteAsync(context, options, cancellationToken);
        });
        return command;
    }

    /// <summary>Loads the scenario, runs it and writes its files; returns the exit code.</summary>
    /// <param name="context">Where to print.</param>
    /// <param name="options">The command line.</param>
    /// <param name="cancellationToken">Ctrl-C.</param>
    /// <param name="createEngine">Creates the engine; <see cref="EngineFactory.CreateAsync"/> unless given (tests).</param>
    /// <exception cref="UsageException">Bad input.</exception>
    public static async Task<int> ExecuteAsync(CliContext context, RunOptions options, CancellationToken cancellationToken,
        Func<EngineRequest, CancellationToken, Task<EngineSession>>? createEngine = null)
    {
        var scenario = ScenarioInput.Load(options.ScenarioPath, options.Overrides);
        var name = string.IsNullOrWhiteSpace(scenario.Name) ? Path.GetFileNameWithoutExtension(options.ScenarioPath) : scenario.Name;
        return await ExecuteScenarioAsync(context, options, scenario, name, Path.GetFullPath(options.ScenarioPath), cancellationToken, createEngine);
    }

    /// <summary>Runs a loaded scenario (from its start, or from a fork's checkpoint) and writes its files.</summary>
    public static async Task<int> ExecuteScenarioAsync(CliContext context, RunOptions options, Scenario scenario, string name, string? scenarioFile,
        CancellationToken cancellationToken, Func<EngineRequest, CancellationToken, Task<EngineSession>>? createEngine = null, ForkStart? fork = null)
    {
        var setup = new MarketSetup(scenario);
        var resolvedYaml = ScenarioWriter.ToYaml(scenario);
        var sampling = RunSampling.For(setup.Ticks, options.SampleEvery);
        var identity = new RunIdentity(name, scenarioFile, options.Engine, setup.Seed, setup.Ticks, setup.TickDays, setup.Start)
        {
            SampleEvery = sampling.Every,
            ScenarioSha256 = Fingerprint.OfText(resolvedYaml), ForkedFrom = fork?.ForkedFrom, ForkedAt = fork?.Checkpoint.NextTick,
        };
        var firstTick = fork?.Checkpoint.NextTick ?? 0;
        if (options.Engine == EngineFactory.Reference && (options.Gateway is not null || options.MetricsPort is not null))
            await context.Err.WriteLineAsync("note: --gateway and --metrics-port apply to the orleans engine only; ignored");

        var directory = options.OutputDirectory ?? DefaultDirectory(name);
        RunFolder.Claim(directory, options.Redis is not null ? options.RunId : null, options.Force);
        await using var session = await (createEngine ?? EngineFactory.CreateAsync)(new EngineRequest(options.Engine, options.Gateway, options.MetricsPort, options.Pace is not null)
            {
                MetricsAddress = options.MetricsAddress, DashboardPort = options.DashboardPort, CheckpointEvery = options.CheckpointEvery,
                Redis = options.Redis, ClusterId = options.ClusterId, RunId = options.RunId, Tls = options.Tls, ConnectTimeout = options.ConnectTimeout,
                ApiKey = options.ApiKey, RedisPassword = options.RedisPassword,
            }, cancellationToken);
        await using var files = await RunFiles.CreateAsync(directory, setup, resolvedYaml, sampling);
        RunFolder.Record(directory, session.RunId,
            identity.ScenarioSha256!);
        var summary = new RunSummary(setup);
        var progress = RunProgress.Create(context.Console, context.Out, context.Interactive, options.Quiet, setup.Ticks);
        var pacer = new Pacer(options.Pace);
        var startedAt = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();

        RunOutcome? outcome = null;
        ExceptionDispatchInfo? failure = null;
        try
        {
            outcome = await progress.RunAsync(report => Experiments.RunDriver.RunAsync(session, setup, fork?.Checkpoint, options.CheckpointEvery, directory, identity.ScenarioSha256!,
                runId => context.Err.WriteLine($"run id: {runId}"), async observation =>
            {
                summary.Add(observation);
                await files.RecordAsync(observation);
                report(observation);
                await pacer.WaitAsync(summary.TicksDone, cancellationToken);
            }, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // An engine that stops by throwing rather than returning: what was recorded stands.
        }
        catch (Exception e)
        {
            failure = ExceptionDispatchInfo.Capture(e);
        }
        clock.Stop();

        var completed = failure is null && outcome is { Cancelled: false } && summary.TicksDone == setup.Ticks - firstTick;
        var end = new RunEnd(completed, outcome?.Fingerprint, startedAt, clock.Elapsed, failure?.SourceException.Message);
        files.Dispose();
        if (failure is null) await files.WriteParquetAsync();
        files.WriteSummary(SummaryDocument.From(identity, summary, end));
        failure?.Throw();
        if (!options.NoReport) await WriteReportAsync(context, directory);

        if (!options.Quiet)
        {
            context.Console.WriteLine();
            SummaryTable.Render(context.Console, identity, summary, end);
        }
        await context.Out.WriteLineAsync($"wrote {directory}");
        if (completed) return ExitCodes.Success;
        await context.Err.WriteLineAsync($"marketsim run: interrupted after {summary.TicksDone} of {setup.Ticks} ticks; summary.json has \"completed\": false");
        return ExitCodes.Interrupted;
    }

    /// <summary>The --sample-every option of run and fork.</summary>
    internal static Option<int?> SampleEveryOption() => CommonOptions.Number<int>("--sample-every",
        $"Write every N-th tick (and the last) to market.csv, providers.csv, segments.csv and their Parquet copies; the summary and " +
        $"fingerprint cover every tick (default: every tick up to {RunSampling.DefaultMaxRows:N0} ticks, then every ceil(ticks / {RunSampling.DefaultMaxRows:N0})-th)",
        "N", "a whole number", RunSampling.Problem);

    /// <summary>The --no-report option of run and fork.</summary>
    internal static Option<bool> NoReportOption() => new("--no-report") { Description = $"Do not write {Reports.RunReport.FileName} (the summary and charts of the run) at the end" };

    /// <summary>Writes the run's report.html; the run's files stand whatever happens to it, so a failure is a note.</summary>
    private static async Task WriteReportAsync(CliContext context, string directory)
    {
        try
        {
            Reports.RunReport.Write(directory);
        }
        catch (Exception e) when (e is UsageException or IOException or UnauthorizedAccessException)
        {
            await context.Err.WriteLineAsync($"note: {Reports.RunReport.FileName} not written: {e.Message.ReplaceLineEndings(" ")} (fix: marketsim report {directory})");
        }
    }

    /// <summary>runs/&lt;scenario&gt;-&lt;yyyyMMdd-HHmmss&gt; under the current folder, made unique.</summary>
    public static string DefaultDirectory(string scenarioName)
    {
        var slug = new StringBuilder();
        foreach (var c in scenarioName.Trim().ToLowerInvariant())
            slug.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        var stem = Path.Combine("runs", $"{(slug.Length == 0 ? "run" : slug.ToString())}-{DateTime.Now:yyyyMMdd-HHmmss}");
        var directory = stem;
        for (var i = 2; Directory.Exists(directory); i++) directory = $"{stem}-{i}";
        return directory;
    }

    /// <summary>Holds a run to a number of ticks per second.</summary>
    private sealed class Pacer(double? ticksPerSecond)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public ValueTask WaitAsync(int ticksDone, CancellationToken cancellationToken)
        {
            if (ticksPerSecond is not { } pace) return ValueTask.CompletedTask;
            var due = TimeSpan.FromSeconds(ticksDone / pace) - _clock.Elapsed;
            return due > TimeSpan.Zero ? new ValueTask(DelayAsync(due, cancellationToken)) : ValueTask.CompletedTask;
        }

        private static async Task DelayAsync(TimeSpan due, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(due, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Interrupted while waiting: the engine stops at this tick boundary.
            }
        }
    }
}
