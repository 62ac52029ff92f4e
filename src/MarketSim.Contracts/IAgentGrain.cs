namespace MarketSim.Contracts;

/// <summary>What every agent grain of a run (provider or customer block) does besides its phases: start,
/// checkpoints, recovery, injected events.</summary>
[Alias("MarketSim.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Creates the agent from the run's scenario (its initial state).</summary>
    [Alias("Init")]
    Task Init(AgentInit init);

    /// <summary>The agent's complete state.</summary>
    [Alias("SaveState")]
    Task<byte[]> SaveState();

    /// <summary>Creates the agent from the scenario and replaces its state with <paramref name="state"/>.</summary>
    [Alias("LoadState")]
    Task LoadState(AgentInit init, byte[] state);

    /// <summary>SHA-256 of its state.</summary>
    [Alias("Digest")]
    Task<byte[]> Digest();

    /// <summary>Writes its state for the checkpoint of <paramref name="tick"/> to grain storage.</summary>
    [Alias("Persist")]
    Task Persist(int tick);

    /// <summary>Returns to the state persisted for <paramref name="tick"/> (or the initial state when it was
    /// created after that checkpoint).</summary>
    [Alias("Recover")]
    Task Recover(AgentInit init, int tick, bool mustExist);

    /// <summary>Adds an event (JSON of an EventSpec) at <paramref name="tick"/>.</summary>
    [Alias("Inject")]
    Task Inject(string eventJson, int tick);
}

/// <summary>An agent's persisted checkpoints: its state bytes by tick (the latest two are kept, so a checkpoint
/// interrupted half-way never leaves the run without a complete one).</summary>
[GenerateSerializer, Alias("MarketSim.AgentRecord")]
public sealed class AgentRecord
{
    [Id(0)] public Dictionary<int, byte[]> Slots { get; set; } = [];
}

/// <summary>A run coordinator's persisted record: enough to bring the run back to its last checkpoint.</summary>
[GenerateSerializer, Alias("MarketSim.RunRecord")]
public sealed class RunRecord
{
    [Id(0)] public bool Started { get; set; }
    [Id(1)] public string ScenarioJson { get; set; } = "";
    [Id(2)] public int CheckpointEvery { get; set; }
    /// <summary>Tick of the last complete checkpoint (0: the run's start).</summary>
    [Id(3)] public int CheckpointTick { get; set; }
    [Id(4)] public byte[] CheckpointView { get; set; } = [];
    [Id(5)] public int ProvidersAtCheckpoint { get; set; }
    /// <summary>State the run was started from (a fork), used as its tick-0 record; empty for a fresh run.</summary>
    [Id(6)] public byte[] Origin { get; set; } = [];
    /// <summary>SHA-256 (hex) of the scenario the run was started with (before injected events): a client that
    /// resumes the run id with another scenario is refused.</summary>
    [Id(7)] public string StartedScenarioSha256 { get; set; } = "";
    /// <summary>The client that drives the run (one at a time).</summary>
    [Id(8)] public string Driver { get; set; } = "";
    /// <summary>First tick of each persisted chunk of the run's observation log, in order (a chunk ends where the next
    /// begins, the last at <see cref="CheckpointTick"/>).</summary>
    [Id(9)] public List<int> LogChunks { get; set; } = [];
    /// <summary>First tick of the run's observations (0, or the tick a fork started at).</summary>
    [Id(10)] public int FirstTick { get; set; }
    /// <summary>SHA-256 (hex) of the fields of the agents' state records the run was checkpointed with
    /// (StateRecords.Schema): another version of marketsim with other fields refuses to resume it.</summary>
    [Id(11)] public string StateSchemaSha256 { get; set; } = "";
}

/// <summary>A persisted part of a run's observation log: the observations of consecutive ticks, each in its binary
/// form (IWireMessage). Persisted state holds bytes and numbers only: a grain storage may store it in a format of its
/// own (Redis's is JSON), which need not know the model's types.</summary>
[GenerateSerializer, Alias("MarketSim.ObservationChunk")]
public sealed class ObservationChunk
{
    [Id(0)] public int FirstTick { get; set; }
    [Id(1)] public List<byte[]> Observations { get; set; } = [];
}
