using Orleans.Runtime;

namespace MarketSim.Grains;

/// <summary>Hosts one <see cref="CustomerBlock"/> of a run (key "runId/index"); every decision is its customers'.</summary>
public sealed class CustomerBlockGrain([PersistentState("agent", AgentGrain<CustomerBlock>.StorageName)] IPersistentState<AgentRecord> record)
    : AgentGrain<CustomerBlock>(record), ICustomerBlockGrain
{
    private QuoteBoard? _board;

    protected override CustomerBlock Create(MarketSetup setup, int index) => new(setup, index);

    protected override string Label => $"customer block {Index}";

    public Task<byte[]> Negotiate(int tick, byte[] board)
    {
        _board = Codec.FromBytes(board, QuoteBoard.Read);
        return Task.FromResult(Codec.ToBytes(Agent.Negotiate(tick, _board).Write));
    }

    public Task<byte[]> Demand(int tick, bool[] accepted) =>
        Task.FromResult(Codec.ToBytes(Agent.ApplyDecisionsAndMeasureDemand(tick, Board(tick), accepted).Write));

    public Task<byte[]> Consume(int tick, byte[] fills) =>
        Task.FromResult(Codec.ToBytes(Agent.Consume(tick, Board(tick), Codec.FromBytes(fills, Fills.Read)).Write));

    private QuoteBoard Board(int tick) => _board is { } b && b.Tick == tick
        ? b : throw new InvalidOperationException($"block {this.GetPrimaryKeyString()} has no quote board for tick {tick}");
}
