namespace MarketSim.Grains;

/// <summary>Hosts one <see cref="CustomerBlock"/>; every decision is its customers'.</summary>
public sealed class CustomerBlockGrain : Grain, ICustomerBlockGrain
{
    private CustomerBlock? _block;
    private QuoteBoard? _board;

    public Task Init(AgentInit init)
    {
        _block = new CustomerBlock(new MarketSetup(ScenarioJson.Deserialize(init.ScenarioJson)), init.Index);
        return Task.CompletedTask;
    }

    private CustomerBlock Block => _block ?? throw new InvalidOperationException($"customer block {this.GetPrimaryKeyString()} was not initialised");

    public Task<byte[]> Negotiate(int tick, byte[] board)
    {
        _board = Codec.FromBytes(board, QuoteBoard.Read);
        return Task.FromResult(Codec.ToBytes(Block.Negotiate(tick, _board).Write));
    }

    public Task<byte[]> Demand(int tick, bool[] accepted) =>
        Task.FromResult(Codec.ToBytes(Block.ApplyDecisionsAndMeasureDemand(tick, Board(tick), accepted).Write));

    public Task<byte[]> Consume(int tick, byte[] fills) =>
        Task.FromResult(Codec.ToBytes(Block.Consume(tick, Board(tick), Codec.FromBytes(fills, Fills.Read)).Write));

    private QuoteBoard Board(int tick) => _board is { } b && b.Tick == tick
        ? b : throw new InvalidOperationException($"block {this.GetPrimaryKeyString()} has no quote board for tick {tick}");

    public Task<byte[]> Digest() => Task.FromResult(Fingerprint.OfState(Codec.ToBytes(Block.Write)));
}
