namespace MarketSim.Contracts;

// The model's own types (TickObservation, RunCheckpoint, the agents' messages) travel as they are: ModelCodecs.cs gives
// Orleans their binary form, which keeps the model free of Orleans and round-trips every value bit for bit.

/// <summary>Where a run stands.</summary>
[GenerateSerializer, Immutable, Alias("MarketSim.RunStatus")]
public sealed record RunStatus(
    [property: Id(0)] string RunId,
    [property: Id(1)] int NextTick,
    [property: Id(2)] int Ticks,
    [property: Id(3)] bool Started,
    [property: Id(4)] int FirstTick = 0);

/// <summary>Observations of consecutive ticks from <see cref="FirstTick"/>, in tick order;
/// <see cref="Silo"/> is where the coordinator runs (a client watches that silo's membership).</summary>
[GenerateSerializer, Immutable, Alias("MarketSim.TickBatch")]
public sealed record TickBatch(
    [property: Id(0)] int NextTick,
    [property: Id(1)] bool Finished,
    [property: Id(2)] TickObservation[] Observations,
    [property: Id(3)] int FirstTick = 0,
    [property: Id(4)] string Silo = "");

/// <summary>An agent's identity within a run: the run's resolved scenario and the agent's index.</summary>
[GenerateSerializer, Immutable, Alias("MarketSim.AgentInit")]
public sealed record AgentInit(
    [property: Id(0)] string RunId,
    [property: Id(1)] string ScenarioJson,
    [property: Id(2)] int Index);
