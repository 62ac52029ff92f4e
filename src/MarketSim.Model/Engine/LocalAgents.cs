namespace MarketSim.Model.Engine;

/// <summary>Every agent of a run in this process, called in index order on the caller's thread; the tasks it returns
/// are complete. Used by <see cref="ReferenceEngine"/>.</summary>
public sealed class LocalAgents : IAgentHost
{
    private QuoteBoard? _board;

    public LocalAgents(MarketSetup setup)
    {
        Providers = [.. Enumerable.Range(0, setup.ProviderCount).Select(i => new ProviderAgent(setup, i))];
        Blocks = [.. Enumerable.Range(0, setup.BlockCount).Select(i => new CustomerBlock(setup, i))];
    }

    public ProviderAgent[] Providers { get; private set; }
    public CustomerBlock[] Blocks { get; }

    /// <summary>Creates the providers <paramref name="setup"/> has gained (entrants injected).</summary>
    public void AddEntrants(MarketSetup setup)
    {
        if (setup.ProviderCount > Providers.Length)
            Providers = [.. Providers, .. Enumerable.Range(Providers.Length, setup.ProviderCount - Providers.Length).Select(i => new ProviderAgent(setup, i))];
    }

    private QuoteBoard Board => _board ?? throw new InvalidOperationException("no quote board: negotiation comes first");

    public ValueTask<ProviderPlan[]> PlanAsync(int tick, MarketView view)
    {
        var plans = new ProviderPlan[Providers.Length];
        for (var i = 0; i < plans.Length; i++) plans[i] = Providers[i].Plan(tick, view);
        return new(plans);
    }

    public ValueTask<NegotiationBatch[]> NegotiateAsync(int tick, QuoteBoard board)
    {
        _board = board;
        var batches = new NegotiationBatch[Blocks.Length];
        for (var i = 0; i < batches.Length; i++) batches[i] = Blocks[i].Negotiate(tick, board);
        return new(batches);
    }

    public ValueTask<bool[][]> DecideAsync(int tick, ContractRequest[][] requestsByProvider)
    {
        var decisions = new bool[Providers.Length][];
        for (var i = 0; i < decisions.Length; i++)
            decisions[i] = requestsByProvider[i] is { Length: > 0 } requests ? Providers[i].DecideContracts(tick, requests) : [];
        return new(decisions);
    }

    public ValueTask<DemandReport[]> DemandAsync(int tick, bool[][] routed)
    {
        var demand = new DemandReport[Blocks.Length];
        for (var i = 0; i < demand.Length; i++) demand[i] = Blocks[i].ApplyDecisionsAndMeasureDemand(tick, Board, routed[i]);
        return new(demand);
    }

    public ValueTask<UsageReport[]> ConsumeAsync(int tick, Fills fills)
    {
        var usage = new UsageReport[Blocks.Length];
        for (var i = 0; i < usage.Length; i++) usage[i] = Blocks[i].Consume(tick, Board, fills);
        return new(usage);
    }

    public ValueTask<ProviderReport[]> SettleAsync(int tick, ProviderUsage[] usage)
    {
        var reports = new ProviderReport[Providers.Length];
        for (var i = 0; i < reports.Length; i++) reports[i] = Providers[i].Settle(tick, usage[i]);
        return new(reports);
    }
}
