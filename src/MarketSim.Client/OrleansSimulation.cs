namespace MarketSim.Client;

/// <summary>
/// Runs a scenario on an Orleans cluster: starts the run's coordinator grain and advances it in batches of
/// ticks, handing each observation to the caller in order.
/// </summary>
public sealed class OrleansSimulation(IClusterClient client, string? runId = null) : ISimulationEngine
{
    public string Name => "orleans";

    /// <summary>Run id of the last run started (grain keys carry it).</summary>
    public string RunId { get; private set; } = runId ?? NewRunId();

    /// <summary>Longest time one advance call may run on the cluster before it returns what it has.</summary>
    public int AdvanceMilliseconds { get; init; } = 500;

    /// <summary>Most ticks one advance call runs (1 when the caller paces the run).</summary>
    public int TicksPerAdvance { get; init; } = 64;

    public static string NewRunId() => $"run-{Guid.NewGuid():N}"[..16];

    public async Task<RunOutcome> RunAsync(MarketSetup setup, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken)
    {
        var coordinator = client.GetGrain<IRunCoordinatorGrain>(RunId);
        await coordinator.Start(ScenarioJson.Serialize(setup.Scenario));
        var finished = false;
        var next = 0;
        while (!finished && !cancellationToken.IsCancellationRequested)
        {
            var batch = await coordinator.Advance(TicksPerAdvance, AdvanceMilliseconds);
            foreach (var bytes in batch.Observations)
                await onTick(Codec.FromBytes(bytes, TickObservation.Read));
            finished = batch.Finished;
            next = batch.NextTick;
        }
        return new RunOutcome(await coordinator.Fingerprint(), next, !finished);
    }
}
