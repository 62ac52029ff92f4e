using Orleans.Runtime;

namespace MarketSim.Grains;

/// <summary>Hosts one <see cref="CustomerBlock"/> of a run (key "runId/index"); every decision is its customers'.</summary>
public sealed class CustomerBlockGrain([PersistentState("agent", AgentGrain<CustomerBlock>.StorageName)] IPersistentState<AgentRecord> record)
    : AgentGrain<CustomerBlock>(record), ICustomerBlockGrain
{
    private QuoteBoard? _board;

    protected override CustomerBlock Create(MarketSetup setup, int index) => new(setup, index);

    protected override string Label => $"customer block {Index}";

    public Task<NegotiationBatch> Negotiate(int tick, QuoteBoard board)
    {
        _board = board;
        return Task.FromResult(Agent.Negotiate(tick, board));
    }

    public Task<DemandReport> Demand(int tick, bool[] accepted) =>
        Task.FromResult(Agent.ApplyDecisionsAndMeasureDemand(tick, Board(tick), accepted));

    public Task<UsageReport> Consume(int tick, Fills fills) => Task.FromResult(Agent.Consume(tick, Board(tick), fills));

    private QuoteBoard Board(int tick) => _board is { } b && b.Tick == tick
        ? b : throw new InvalidOperationException($"block {this.GetPrimaryKeyString()} has no quote board for tick {tick}");
}
