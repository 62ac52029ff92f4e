using System.Diagnostics;

namespace MarketSim.Client;

/// <summary>
/// Runs a scenario on an Orleans cluster: starts the run's coordinator grain and advances it in batches of
/// ticks, handing each observation to the caller once and in order. If the cluster loses a silo, the run
/// returns to its last checkpoint and replays; ticks the caller has already seen are not handed over again.
/// </summary>
public sealed class OrleansSimulation(IClusterClient client, string? runId = null) : ISimulationEngine
{
    public string Name => "orleans";

    /// <summary>Run id (grain keys carry it).</summary>
    public string RunId { get; } = runId ?? NewRunId();

    /// <summary>Longest time one advance call may run on the cluster before it returns what it has.</summary>
    public int AdvanceMilliseconds { get; init; } = 500;

    /// <summary>Most ticks one advance call runs (1 when the caller paces the run).</summary>
    public int TicksPerAdvance { get; init; } = 64;

    /// <summary>Ticks between coordinated checkpoints in grain storage (0: none).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>How long calls may keep failing (a silo lost, the coordinator moving) before the run fails.</summary>
    public TimeSpan FailureLimit { get; init; } = TimeSpan.FromMinutes(3);

    public static string NewRunId() => $"run-{Guid.NewGuid():N}"[..16];

    public IRunCoordinatorGrain Coordinator => client.GetGrain<IRunCoordinatorGrain>(RunId);

    public async Task<RunOutcome> RunAsync(MarketSetup setup, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken)
    {
        var coordinator = Coordinator;
        await coordinator.Start(new StartRun(ScenarioJson.Serialize(setup.Scenario), CheckpointEvery));
        return await Drive(coordinator, 0, onTick, cancellationToken);
    }

    /// <summary>Advances a started run to its horizon (or cancellation), from tick <paramref name="next"/>.</summary>
    public async Task<RunOutcome> Drive(IRunCoordinatorGrain coordinator, int next, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken)
    {
        var finished = false;
        while (!finished && !cancellationToken.IsCancellationRequested)
        {
            var batch = await Retrying(() => coordinator.Advance(TicksPerAdvance, AdvanceMilliseconds), cancellationToken);
            foreach (var bytes in batch.Observations)
            {
                var observation = Codec.FromBytes(bytes, TickObservation.Read);
                if (observation.Tick < next) continue;   // replayed after a recovery: already handed over
                await onTick(observation);
                next = observation.Tick + 1;
            }
            finished = batch.Finished;
        }
        var fingerprint = await Retrying(coordinator.Fingerprint, CancellationToken.None);
        return new RunOutcome(fingerprint, next, !finished);
    }

    private async Task<T> Retrying<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var failing = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is not ArgumentException && failing.Elapsed < FailureLimit && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }
}
