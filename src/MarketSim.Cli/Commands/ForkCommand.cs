using MarketSim.Contracts;
using System.CommandLine;
using System.Globalization;
using MarketSim.Cli.Experiments;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim fork RUNDIR --at TICK [--set PATH=VALUE]... [--out DIR] [--engine orleans|reference] [--sample-every N]</c>:
/// continues a run from one of its checkpoints (kept by <c>run --checkpoint-every K</c>), with the fork semantics of
/// <see cref="ScenarioFork"/>, into a normal run folder whose summary.json records forkedFrom and at.</summary>
public static class ForkCommand
{
    internal static Command Create(CliContext context)
    {
        var runDir = new Argument<string>("RUNDIR") { Description = "A run folder with checkpoints/ (marketsim run --checkpoint-every K)" };
        var at = CommonOptions.Number<int>("--at", "Tick to fork at (a checkpoint of the run)", "TICK", "a whole number", t => t < 0 ? "must be 0 or more" : null);
        at.Required = true;
        var set = CommonOptions.Set();
        var output = new Option<string>("--out") { Description = "Output folder (default runs/<scenario>-fork-<tick>-<yyyyMMdd-HHmmss>)", HelpName = "DIR" };
        var engine = CommonOptions.OneOf("--engine", "Engine: orleans (the default) or reference", EngineFactory.Orleans, EngineFactory.Names);
        var gateway = CommonOptions.Gateway("Run on a running cluster (orleans engine)");
        var quiet = new Option<bool>("--quiet") { Description = "Print only the output folder" };
        var checkpointEvery = CommonOptions.Number<int>("--checkpoint-every", "Keep checkpoints of the fork every K ticks", "K", "a whole number", k => k < 1 ? "must be at least 1" : null);
        var noReport = RunCommand.NoReportOption();
        var force = CommonOptions.Force();
        var sampleEvery = RunCommand.SampleEveryOption();
        var cluster = new ClusterOptions();
        var command = new Command("fork", "Continue a run from a checkpoint, optionally with changed values")
        {
            runDir, at, set, output, engine, gateway, quiet, checkpointEvery, noReport, force, sampleEvery, cluster.ClusterId, cluster.ApiKeyFile,
        };
        command.SetAction((parsed, cancellationToken) => ExecuteAsync(context, parsed.GetRequiredValue(runDir), parsed.GetValue(at) ?? 0,
            parsed.GetValue(set) ?? [], parsed.GetValue(output), parsed.GetValue(engine) ?? EngineFactory.Orleans, parsed.GetValue(gateway),
            parsed.GetValue(quiet), parsed.GetValue(checkpointEvery) ?? 0, cancellationToken, parsed.GetValue(noReport), parsed.GetValue(force),
            cluster.ApiKeyOf(parsed, "marketsim fork"), cluster.ClusterIdOf(parsed), parsed.GetValue(sampleEvery)));
        return command;
    }

    /// <param name="apiKey">The cluster's API key (--api-key-file) for a fork on --gateway; null: none.</param>
    /// <param name="clusterId">The id of the cluster behind --gateway; null: the default.</param>
    public static async Task<int> ExecuteAsync(CliContext context, string runDirectory, int at, IReadOnlyList<string> overrides, string? output,
        string engine, string? gateway, bool quiet, int checkpointEvery, CancellationToken cancellationToken, bool noReport = false, bool force = false,
        string? apiKey = null, string? clusterId = null, int? sampleEvery = null)
    {
        if (!Directory.Exists(runDirectory))
            throw new UsageException($"{runDirectory}: run folder not found (fix: name a folder written by marketsim run --checkpoint-every K)");
        var path = RunDriver.CheckpointPath(runDirectory, at);
        if (!File.Exists(path))
        {
            var available = RunDriver.AvailableCheckpoints(runDirectory);
            throw new UsageException(available.Count == 0
                ? $"{runDirectory}: the run has no checkpoints (fix: run it with --checkpoint-every K, e.g. marketsim run SCENARIO --checkpoint-every 10)"
                : $"{runDirectory}: no checkpoint at tick {at} (fix: use --at with one of the available ticks: {string.Join(", ", available.Select(t => t.ToString(CultureInfo.InvariantCulture)))})");
        }
        var checkpoint = RunDriver.ReadCheckpoint(runDirectory, at);
        var result = ScenarioFork.Create(checkpoint, overrides);
        if (!result.Ok)
            throw new UsageException(string.Join('\n', result.Problems.Select(p => p.ToString())) + "\nnothing was run");
        var scenario = result.Scenario!;
        var name = $"{(string.IsNullOrWhiteSpace(scenario.Name) ? "run" : scenario.Name)}-fork-{at}";
        var options = new RunOptions(runDirectory, overrides, engine, output ?? RunCommand.DefaultDirectory(name), null, gateway, null, quiet) 
        {
            CheckpointEvery = checkpointEvery, NoReport = noReport, Force = force, ApiKey = apiKey, SampleEvery = sampleEvery,
            ClusterId = clusterId ?? MarketSim.Contracts.ClusterDefaults.ClusterId,
        };
        return await RunCommand.ExecuteScenarioAsync(context, options, scenario, name, null, cancellationToken,
            fork: new ForkStart(checkpoint, Path.GetFullPath(runDirectory)));
    }
}
