namespace MarketSim.Contracts;

/// <summary>A block of customers of one run (key "runId/index"): one batched message per phase, never one per
/// customer and provider.</summary>
[Alias("MarketSim.ICustomerBlockGrain")]
public interface ICustomerBlockGrain : IAgentGrain
{
    /// <summary>Phase 2: its customers bargain with the quote board; returns the contract requests.</summary>
    [Alias("Negotiate")]
    Task<NegotiationBatch> Negotiate(int tick, QuoteBoard board);

    /// <summary>Phase 3a: applies the providers' decisions and reports demand.</summary>
    [Alias("Demand")]
    Task<DemandReport> Demand(int tick, bool[] accepted);

    /// <summary>Phase 3b: consumes within the fills and pays; returns usage.</summary>
    [Alias("Consume")]
    Task<UsageReport> Consume(int tick, Fills fills);
}
