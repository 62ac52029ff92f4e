using System.Globalization;
using MarketSim.Cli.Output;
using MarketSim.Client;
using MarketSim.Model.Engine;

namespace MarketSim.Cli.Experiments;

/// <summary>
/// Drives one run of the CLI on an engine session, through the run handle both engines implement
/// (<see cref="IRunHandle"/>), the engine's number of ticks per advance at a time; with <c>--checkpoint-every K</c> it
/// stops every K ticks to write the state to the run folder, and a fork starts from a checkpoint.
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

    /// <summary>Writes a checkpoint file (<see cref="RunCheckpointFile"/>) through a temporary sibling and a rename.</summary>
    public static void WriteCheckpoint(string path, RunCheckpoint checkpoint, string scenarioSha256)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
            RunCheckpointFile.Write(stream, checkpoint, scenarioSha256);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a run folder's checkpoint file and checks it against the folder: its format, checksum, tick and
    /// the hash of the run's resolved scenario.</summary>
    /// <exception cref="UsageException">The file is damaged or belongs to another run (exit 2: file, what, fix).</exception>
    public static RunCheckpoint ReadCheckpoint(string runDirectory, int tick)
    {
        var path = CheckpointPath(runDirectory, tick);
        var fix = $"fork from another checkpoint of the run (--at {string.Join(", ", AvailableCheckpoints(runDirectory).Where(t => t != tick).Take(8))}), " +
                  "or re-run the scenario with --checkpoint-every K to write new ones";
        RunCheckpointFile.Contents contents;
        try
        {
            using var stream = File.OpenRead(path);
            contents = RunCheckpointFile.Read(stream);
        }
        catch (CheckpointFileException e)
        {
            throw new UsageException($"{path}: unusable checkpoint: {e.Message} (fix: {fix})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: cannot read the checkpoint: {e.Message} (fix: check the file's permissions, or {fix})");
        }
        if (contents.Checkpoint.NextTick != tick)
            throw new UsageException($"{path}: the checkpoint holds tick {contents.Checkpoint.NextTick}, not the tick {tick} its name says " +
                $"(it was renamed or copied from elsewhere) (fix: {fix})");
        var resolved = Path.Combine(runDirectory, RunFiles.ResolvedScenario);
        if (!File.Exists(resolved))
            throw new UsageException($"{runDirectory}: no {RunFiles.ResolvedScenario}, so the checkpoint cannot be matched to its run " +
                "(fix: fork a complete run folder written by marketsim run --checkpoint-every K)");
        var folderSha256 = Fingerprint.OfText(File.ReadAllText(resolved));
        if (folderSha256 != contents.ScenarioSha256)
            throw new UsageException($"{path}: the checkpoint belongs to another run: it was taken of a scenario with SHA-256 " +
                $"{contents.ScenarioSha256[..12]}..., this folder's {RunFiles.ResolvedScenario} has {folderSha256[..12]}... " +
                "(fix: fork the run folder the checkpoint was written in, and do not copy checkpoints between run folders)");
        return contents.Checkpoint;
    }

    public static async Task<RunOutcome> RunAsync(EngineSession session, MarketSetup setup, RunCheckpoint? start, int checkpointEvery,
        string runDirectory, string scenarioSha256, Action<string> onRunId, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken)
    {
        var engine = session.Engine;
        if (session.CheckpointsInCluster)
        {
            // A run on a Redis cluster: its checkpoints are coordinated in the cluster's grain storage (they survive
            // a restart there), not written to the run folder.
            if (start is not null)
                throw new UsageException("a fork runs on the embedded cluster, on --gateway or with --engine reference, not with --redis (fix: drop --redis)");
            checkpointEvery = 0;
        }
        // The run id is said before the start when the session knows it, so that a start that fails can be resumed.
        if (session.RunId is { } knownId) onRunId(knownId);
        var run = await engine.StartAsync(setup, start, cancellationToken);
        if (session.RunId is null && run.RunId.Length > 0) onRunId(run.RunId);
        using var subscription = run.Subscribe(onTick);
        while (!run.Finished && !cancellationToken.IsCancellationRequested)
        {
            var step = checkpointEvery > 0 ? checkpointEvery - run.NextTick % checkpointEvery : engine.TicksPerAdvance;
            await run.AdvanceAsync(step, cancellationToken);
            if (checkpointEvery > 0 && run.NextTick % checkpointEvery == 0 && run.NextTick < setup.Ticks && !cancellationToken.IsCancellationRequested)
                WriteCheckpoint(CheckpointPath(runDirectory, run.NextTick), await run.CheckpointAsync(), scenarioSha256);
        }
        return new RunOutcome(await run.FingerprintAsync(), run.NextTick, !run.Finished);
    }
}
