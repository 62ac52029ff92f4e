namespace MarketSim.Client;

/// <summary>
/// Runs a scenario on an Orleans cluster through a <see cref="SimulationRun"/>: starts the run's coordinator grain (or
/// attaches to the run with this id, if the cluster holds it) and advances it in batches of ticks, handing each
/// observation to the caller once and in order, from the run's first tick. If the cluster loses a silo, the run
/// returns to its last checkpoint and replays; the caller sees nothing of it but the time it takes.
/// </summary>
public sealed class OrleansSimulation(IClusterClient client, string? runId = null) : ISimulationEngine
{
    public string Name => "orleans";

    /// <summary>Run id (grain keys carry it).</summary>
    public string RunId { get; } = runId ?? NewRunId();

    /// <summary>Most ticks one advance call runs (1 when the caller paces the run).</summary>
    public int TicksPerAdvance { get; init; } = 64;

    /// <summary>Ticks between coordinated checkpoints in grain storage (0: none).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>How long calls may keep failing (a silo lost, the coordinator moving) before the run fails.</summary>
    public TimeSpan FailureLimit { get; init; } = ClusterDefaults.ClientFailureLimit;

    /// <summary>Where notes on the run's life go (resumed, waiting for another client, a silo lost); null: nowhere.</summary>
    public Action<string>? Report { get; init; }

    public static string NewRunId() => $"run-{Guid.NewGuid():N}"[..16];

    public async Task<IRunHandle> StartAsync(MarketSetup setup, RunCheckpoint? start, CancellationToken cancellationToken)
    {
        var calls = new RunCalls(client, Report) { FailureLimit = FailureLimit };
        // The caller takes each observation as it comes (IRunHandle.Subscribe, AdvanceAsync): the handle keeps none, so that
        // a long run does not hold its time series.
        if (start is not null)
        {
            var fork = await SimulationRun.ForkAsync(client, start with { ScenarioJson = ScenarioJson.Serialize(setup.Scenario) }, null, RunId, CheckpointEvery, calls);
            fork.KeepObservations = false;
            return fork;
        }
        var run = await SimulationRun.StartAsync(client, setup.Scenario, RunId, CheckpointEvery, calls, cancellationToken);
        run.KeepObservations = false;
        if (run.ResumedAt > run.NextTick)
            Report?.Invoke($"run {RunId}: resuming on the cluster at tick {run.ResumedAt} of {run.Ticks} (its last checkpoint); " +
                $"ticks {run.NextTick}..{run.ResumedAt - 1} are read from the run's log on the cluster");
        return run;
    }

    public async Task<RunOutcome> RunAsync(MarketSetup setup, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken) =>
        await RunHandles.RunToEndAsync(await StartAsync(setup, null, cancellationToken), TicksPerAdvance, onTick, cancellationToken);
}
