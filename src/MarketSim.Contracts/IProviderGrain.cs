namespace MarketSim.Contracts;

/// <summary>One provider of one run (key "runId/index"). Payloads are the model's messages (codecs in ModelCodecs.cs).</summary>
[Alias("MarketSim.IProviderGrain")]
public interface IProviderGrain : IAgentGrain
{
    /// <summary>Phase 1: unit costs and list prices from the market view of the previous tick.</summary>
    [Alias("Plan")]
    Task<ProviderPlan> Plan(int tick, MarketView view);

    /// <summary>Phase 2: decides the contract requests addressed to it, in customer order.</summary>
    [Alias("Decide")]
    Task<bool[]> Decide(int tick, ContractRequests requests);

    /// <summary>Phase 4: settles the tick's usage; returns its report.</summary>
    [Alias("Settle")]
    Task<ProviderReport> Settle(int tick, ProviderUsage usage);
}
