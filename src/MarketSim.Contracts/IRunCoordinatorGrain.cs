namespace MarketSim.Contracts;

/// <summary>
/// Owns a run's simulated clock and the phase order: nothing of tick t+1 starts before tick t is settled in
/// every agent. Keyed by run id, so several runs share a cluster.
/// </summary>
[Alias("MarketSim.IRunCoordinatorGrain")]
public interface IRunCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Creates the run's agents from a resolved scenario (JSON). Idempotent for the same scenario.</summary>
    [Alias("Start")]
    Task<RunStatus> Start(string scenarioJson);

    /// <summary>Runs up to <paramref name="maxTicks"/> ticks, stopping early once <paramref name="maxMilliseconds"/>
    /// have passed at a tick boundary.</summary>
    [Alias("Advance")]
    Task<TickBatch> Advance(int maxTicks, int maxMilliseconds);

    [Alias("Status")]
    Task<RunStatus> Status();

    /// <summary>Hash over the run's complete state at the current tick boundary.</summary>
    [Alias("Fingerprint")]
    Task<string> Fingerprint();
}
