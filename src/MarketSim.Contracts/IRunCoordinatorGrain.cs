namespace MarketSim.Contracts;

/// <summary>
/// Owns a run's simulated clock and the phase order: nothing of tick t+1 starts before tick t is settled in
/// every agent. Keyed by run id, so several runs share a cluster.
/// </summary>
[Alias("MarketSim.IRunCoordinatorGrain")]
public interface IRunCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Creates the run's agents from a resolved scenario. Idempotent for the same scenario. The scenario is
    /// validated on the silo as the scenario loader validates a file; an invalid one throws
    /// <see cref="ArgumentException"/> listing its problems, and nothing is started.</summary>
    [Alias("Start")]
    Task<RunStatus> Start(StartRun request);

    /// <summary>Creates the run's agents from a checkpoint (a fork): the scenario may differ from the one the
    /// checkpoint was taken from (other overrides) but must have the same agents.</summary>
    [Alias("StartFrom")]
    Task<RunStatus> StartFrom(StartRun request, byte[] checkpoint);

    /// <summary>Runs up to <paramref name="maxTicks"/> ticks, stopping early once <paramref name="maxMilliseconds"/>
    /// have passed at a tick boundary.</summary>
    [Alias("Advance")]
    Task<TickBatch> Advance(int maxTicks, int maxMilliseconds);

    [Alias("Status")]
    Task<RunStatus> Status();

    /// <summary>Hash over the run's complete state at the current tick boundary.</summary>
    [Alias("Fingerprint")]
    Task<string> Fingerprint();

    /// <summary>Applies a scheduled-event kind (JSON of an EventSpec) at the next tick; returns that tick. The event is
    /// validated on the silo as an event written in the run's scenario would be, against the run as it stands (known
    /// providers, models, GPUs and segments, fractions and factors in range and finite); an invalid one throws
    /// <see cref="ArgumentException"/> listing its problems and the run is unchanged.</summary>
    [Alias("Inject")]
    Task<int> Inject(string eventJson);

    /// <summary>The run's complete state at the current tick boundary (a RunCheckpoint in binary form).</summary>
    [Alias("ExportCheckpoint")]
    Task<byte[]> ExportCheckpoint();
}

/// <summary>How to start a run.</summary>
[GenerateSerializer, Immutable, Alias("MarketSim.StartRun")]
public sealed record StartRun(
    [property: Id(0)] string ScenarioJson,
    [property: Id(1)] int CheckpointEvery = 0);
