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
    Task<RunStatus> StartFrom(StartRun request, RunCheckpoint checkpoint);

    /// <summary>Hands over the observations from tick <see cref="AdvanceRequest.From"/> on (the caller has every tick
    /// before it), running new ticks as needed: up to <see cref="AdvanceRequest.MaxTicks"/>, stopping early once
    /// <see cref="AdvanceRequest.MaxMilliseconds"/> have passed at a tick boundary. Ticks already run are kept until a
    /// caller has them, so a lost answer is asked for again, never recomputed by the caller. One client drives a run at
    /// a time: another's call throws <see cref="RunBusyException"/> while the driver is active.</summary>
    /// <exception cref="RunFailedException">The model failed on a tick (the run stays at its last checkpoint).</exception>
    [Alias("Advance")]
    Task<TickBatch> Advance(AdvanceRequest request);

    [Alias("Status")]
    Task<RunStatus> Status();

    /// <summary>Hash over the run's complete state at the boundary before <paramref name="atTick"/> (the caller's
    /// position): after a recovery the run first replays up to it, so the hash is always of the state that produced the
    /// observations the caller has.</summary>
    [Alias("Fingerprint")]
    Task<RunFingerprint> Fingerprint(int atTick);

    /// <summary>Applies a scheduled-event kind (JSON of an EventSpec) at the next tick; returns that tick. The event is
    /// validated on the silo as an event written in the run's scenario would be, against the run as it stands (known
    /// providers, models, GPUs and segments, fractions and factors in range and finite); an invalid one throws
    /// <see cref="ArgumentException"/> listing its problems and the run is unchanged.</summary>
    [Alias("Inject")]
    Task<int> Inject(string eventJson);

    /// <summary>The run's complete state at the boundary before <paramref name="atTick"/>; as <see cref="Fingerprint"/>, the run replays up to it after a recovery.</summary>
    [Alias("ExportCheckpoint")]
    Task<RunCheckpoint> ExportCheckpoint(int atTick);

    /// <summary>What this coordinator has sent and received to run ticks since it was activated (read by
    /// <c>marketsim bench</c>, which reports it per tick).</summary>
    [Alias("Traffic")]
    Task<TickTraffic> Traffic();
}

/// <summary>A coordinator's tick messages: grain calls made (one per agent per phase), and the payload bytes of the
/// messages it sent and received, each counted as its binary form (what travels between silos, without Orleans'
/// headers; a bool array as one byte a value and a 4-byte count), whether or not the agent was in its silo; and the
/// seconds the ticks took, of which <see cref="WaitSeconds"/> waiting for the agents' replies (the rest is the
/// coordinator's own work on its one thread: the kernel, making the calls, reading the replies).</summary>
[GenerateSerializer, Immutable, Alias("MarketSim.TickTraffic")]
public sealed record TickTraffic(
    [property: Id(0)] int Ticks,
    [property: Id(1)] long Calls,
    [property: Id(2)] long BytesSent,
    [property: Id(3)] long BytesReceived,
    [property: Id(4)] double TickSeconds = 0,
    [property: Id(5)] double WaitSeconds = 0);

/// <summary>How to start a run.</summary>
[GenerateSerializer, Immutable, Alias("MarketSim.StartRun")]
public sealed record StartRun(
    [property: Id(0)] string ScenarioJson,
    [property: Id(1)] int CheckpointEvery = 0,
    [property: Id(2)] string ClientId = "");

/// <summary>What an advance asks for: the caller's identity (one client drives a run at a time), the first tick it
/// does not have, and how much to run.</summary>
[GenerateSerializer, Immutable, Alias("MarketSim.AdvanceRequest")]
public sealed record AdvanceRequest(
    [property: Id(0)] string ClientId,
    [property: Id(1)] int From,
    [property: Id(2)] int MaxTicks,
    [property: Id(3)] int MaxMilliseconds);

/// <summary>A run's fingerprint and the tick boundary it is taken at.</summary>
[GenerateSerializer, Immutable, Alias("MarketSim.RunFingerprint")]
public sealed record RunFingerprint(
    [property: Id(0)] int Tick,
    [property: Id(1)] string Hash);
