namespace MarketSim.Contracts;

/// <summary>One provider of one run (key "runId/index"). Payloads are the model's binary messages.</summary>
[Alias("MarketSim.IProviderGrain")]
public interface IProviderGrain : IAgentGrain
{
    /// <summary>Phase 1: unit costs and list prices from the market view of the previous tick.</summary>
    [Alias("Plan")]
    Task<byte[]> Plan(int tick, byte[] view);

    /// <summary>Phase 2: decides the contract requests addressed to it, in customer order.</summary>
    [Alias("Decide")]
    Task<bool[]> Decide(int tick, byte[] requests);

    /// <summary>Phase 4: settles the tick's usage; returns its report.</summary>
    [Alias("Settle")]
    Task<byte[]> Settle(int tick, byte[] usage);
}
