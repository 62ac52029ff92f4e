using System.Globalization;
using MarketSim.Cli.Output;
using MarketSim.Client;
using MarketSim.Model.Engine;

namespace MarketSim.Cli.Experiments;

/// <summary>
/// Drives one run of the CLI on an engine session. Without checkpoints or a start state it is the engine's own
/// <see cref="ISimulationEngine.RunAsync"/>; with <c>--checkpoint-every K</c> or from a checkpoint (fork) the
/// reference engine is stepped here (<see cref="ReferenceEngine.Checkpoint"/>/<see cref="ReferenceEngine.Restore"/>)
/// and the Orleans engine through <see cref="SimulationRun"/> (<c>CheckpointAsync</c>, <c>ForkAsync</c>).
/// </summary>
public static class RunDriver
{
    public const string CheckpointFolder = "checkpoints";

    /// <summary>checkpoints/tick-000123.bin: the state at the boundary before tick 123.</summary>
    public static string CheckpointPath(string runDirectory, int nextTick) =>
        Path.Combine(runDirectory, CheckpointFolder, string.Create(CultureInfo.InvariantCulture, $"tick-{nextTick:D6}.bin"));

    /// <summary>Ticks at which a run folder holds checkpoints.</summary>
    public static IReadOnlyList<int> AvailableCheckpoints(string runDirectory)
    {
        var folder = Path.Combine(runDirectory, CheckpointFolder);
        if (!Directory.Exists(folder)) return [];
        return [.. Directory.GetFiles(folder, "tick-*.bin")
            .Select(f => Path.GetFileNameWithoutExtension(f)["tick-".Length..])
            .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .Where(n => n >= 0).Order()];
    }

    public static void WriteCheckpoint(string path, RunCheckpoint checkpoint)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(stream))
            checkpoint.Write(writer);
        File.Move(temp, path, overwrite: true);
    }

    public static RunCheckpoint ReadCheckpoint(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        return RunCheckpoint.Read(reader);
    }

    public static async Task<RunOutcome> RunAsync(EngineSession session, MarketSetup setup, RunCheckpoint? start, int checkpointEvery,
        string runDirectory, Action<string> onRunId, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken)
    {
        if (start is null && checkpointEvery <= 0)
        {
            if (session.Engine is OrleansSimulation orleans) onRunId(orleans.RunId);
            return await session.Engine.RunAsync(setup, onTick, cancellationToken);
        }
        bool Due(int nextTick) => checkpointEvery > 0 && nextTick % checkpointEvery == 0 && nextTick < setup.Ticks;

        if (session.Cluster is { } cluster)
        {
            var run = start is null
                ? await SimulationRun.StartAsync(cluster, setup.Scenario)
                : await SimulationRun.ForkAsync(cluster, start with { ScenarioJson = ScenarioJson.Serialize(setup.Scenario) });
            onRunId(run.RunId);
            using var subscription = run.Subscribe(onTick);
            while (!run.Finished && !cancellationToken.IsCancellationRequested)
            {
                var step = checkpointEvery > 0 ? checkpointEvery - run.NextTick % checkpointEvery : 64;
                await run.AdvanceAsync(step, cancellationToken);
                if (Due(run.NextTick) && !cancellationToken.IsCancellationRequested)
                    WriteCheckpoint(CheckpointPath(runDirectory, run.NextTick), await run.CheckpointAsync());
            }
            return new RunOutcome(await run.FingerprintAsync(), run.NextTick, !run.Finished);
        }

        if (session.Engine is not ReferenceSimulation)
        {
            // A run on a Redis cluster: its checkpoints are coordinated in the cluster's grain storage (they survive
            // a restart there), not written to the run folder.
            if (start is not null)
                throw new UsageException("a fork runs on the embedded cluster, on --gateway or with --engine reference, not with --redis (fix: drop --redis)");
            return await session.Engine.RunAsync(setup, onTick, cancellationToken);
        }

        var engine = new ReferenceEngine(setup);
        if (start is not null) engine.Restore(start);
        while (!engine.Finished && !cancellationToken.IsCancellationRequested)
        {
            await onTick(engine.Step());
            if (Due(engine.NextTick)) WriteCheckpoint(CheckpointPath(runDirectory, engine.NextTick), engine.Checkpoint());
        }
        return new RunOutcome(engine.Fingerprint(), engine.NextTick, !engine.Finished);
    }
}
