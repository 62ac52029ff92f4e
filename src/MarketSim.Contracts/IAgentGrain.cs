namespace MarketSim.Contracts;

/// <summary>
/// A group of a run's agents hosted together (key "runId/group/g"; one group per silo by default, <see cref="Model.Engine.GroupLayout"/>):
/// its providers and its contiguous range of customer blocks. Each phase of a tick is one call per group, with the
/// group's providers' messages in provider order and its blocks' messages merged into one, so the coordinator's
/// messages per tick grow with groups, not with blocks. Every call that creates the agents (Init, LoadState,
/// Recover) carries the layout, so a group reactivated on another silo is rebuilt by the run's recovery.
/// </summary>
[Alias("MarketSim.IAgentGroupGrain")]
public interface IAgentGroupGrain : IGrainWithStringKey
{
    /// <summary>Creates the group's agents from the run's scenario (their initial state).</summary>
    [Alias("Init")]
    Task Init(GroupInit init);

    /// <summary>The complete state of each of its agents.</summary>
    [Alias("SaveState")]
    Task<GroupStates> SaveState();

    /// <summary>Creates the agents from the scenario and replaces their state (its providers' and blocks' entries of a
    /// checkpoint, in order).</summary>
    [Alias("LoadState")]
    Task LoadState(GroupInit init, GroupStates states);

    /// <summary>SHA-256 of each of its agents' state.</summary>
    [Alias("Digest")]
    Task<GroupStates> Digest();

    /// <summary>Writes each agent's state for the checkpoint of <paramref name="tick"/> to grain storage (one entry per
    /// agent, keyed by the run and the agent's index, so that a checkpoint does not depend on the grouping).</summary>
    [Alias("Persist")]
    Task Persist(int tick);

    /// <summary>Returns every agent to the state persisted for <paramref name="tick"/>; providers from index
    /// <paramref name="providersAtCheckpoint"/> on entered after it and start afresh.</summary>
    [Alias("Recover")]
    Task Recover(GroupInit init, int tick, int providersAtCheckpoint);

    /// <summary>Adds an event (JSON of an EventSpec) at <paramref name="tick"/>; an entrant dealt to this group becomes
    /// one of its providers.</summary>
    [Alias("Inject")]
    Task Inject(string eventJson, int tick);

    /// <summary>The silo the group runs on.</summary>
    [Alias("Silo")]
    Task<string> Silo();

    /// <summary>A whole tick, when the run has this one group (every agent is here): the phases and the kernel run in
    /// the group, with no message between them, and the tick's observation and next view come back.</summary>
    [Alias("RunTick")]
    Task<TickRun> RunTick(int tick, MarketView view);

    /// <summary>Phase 1: its providers' plans.</summary>
    [Alias("Plan")]
    Task<ProviderPlans> Plan(int tick, MarketView view);

    /// <summary>Phase 2: its blocks' contract requests, merged in block order.</summary>
    [Alias("Negotiate")]
    Task<NegotiationBatch> Negotiate(int tick, QuoteBoard board);

    /// <summary>Phase 2: its providers' decisions on their requests, in customer order.</summary>
    [Alias("Decide")]
    Task<GroupDecisions> Decide(int tick, GroupRequests requests);

    /// <summary>Phase 3a: its blocks apply the decisions on the merged requests and report demand, merged.</summary>
    [Alias("Demand")]
    Task<DemandReport> Demand(int tick, bool[] accepted);

    /// <summary>Phase 3b: its blocks consume within the fills and pay; their usage summed.</summary>
    [Alias("Consume")]
    Task<UsageReport> Consume(int tick, Fills fills);

    /// <summary>Phase 4: its providers settle their usage and adapt.</summary>
    [Alias("Settle")]
    Task<ProviderReports> Settle(int tick, ProviderUsages usage);
}

/// <summary>A group's identity within a run: the run's resolved scenario, the group's index and the number of groups.</summary>
[GenerateSerializer, Immutable, Alias("MarketSim.GroupInit")]
public sealed record GroupInit(
    [property: Id(0)] string RunId,
    [property: Id(1)] string ScenarioJson,
    [property: Id(2)] int Group,
    [property: Id(3)] int Groups);

/// <summary>One byte array per agent of a group (states or digests): its providers in index order, its blocks in
/// order.</summary>
[GenerateSerializer, Immutable, Alias("MarketSim.GroupStates")]
public sealed record GroupStates(
    [property: Id(0)] byte[][] Providers,
    [property: Id(1)] byte[][] Blocks);

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
    /// <summary>The number of agent groups the run's agents are hosted in (fixed when the run starts, so a recovery or
    /// a resume on another number of silos uses the same grouping; 0: not yet chosen).</summary>
    [Id(12)] public int Groups { get; set; }
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
