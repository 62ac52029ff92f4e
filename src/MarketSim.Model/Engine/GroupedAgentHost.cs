namespace MarketSim.Model.Engine;

/// <summary>
/// The agents of a run in groups (<see cref="GroupLayout"/>), for <see cref="TickProtocol"/>: each phase is one call per
/// group that has agents for it, all concurrent, and the groups' answers are put back in provider order (providers)
/// or kept one per group in block order (customer blocks: a group's blocks answer as one merged message, which the
/// kernel treats as it treats a block's). How a group is called is the subclass's: <see cref="LocalGroups"/> in this
/// process, the agent-group grains in the Orleans engine.
/// </summary>
public abstract class GroupedAgentHost(GroupLayout layout, MarketSetup setup) : IAgentHost
{
    private readonly int[] _withBlocks = layout.GroupsWithBlocks();

    public GroupLayout Layout => layout;

    /// <summary>The run's setup (with the events injected so far).</summary>
    protected MarketSetup Setup => setup;

    protected abstract Task<ProviderPlan[]> Plan(int group, int tick, MarketView view);
    protected abstract Task<NegotiationBatch> Negotiate(int group, int tick, QuoteBoard board);
    protected abstract Task<bool[][]> Decide(int group, int tick, ContractRequest[][] requests);
    protected abstract Task<DemandReport> Demand(int group, int tick, bool[] routed);
    protected abstract Task<UsageReport> Consume(int group, int tick, Fills fills);
    protected abstract Task<ProviderReport[]> Settle(int group, int tick, ProviderUsage[] usage);

    /// <summary>Groups that have providers now (entrants may have filled more).</summary>
    private int[] GroupsWithProviders() => [.. Enumerable.Range(0, Math.Min(layout.Groups, setup.ProviderCount))];

    public async ValueTask<ProviderPlan[]> PlanAsync(int tick, MarketView view)
    {
        var groups = GroupsWithProviders();
        var answers = await Task.WhenAll(groups.Select(g => Plan(g, tick, view)));
        return ByProvider(groups, answers);
    }

    public async ValueTask<NegotiationBatch[]> NegotiateAsync(int tick, QuoteBoard board) =>
        await Task.WhenAll(_withBlocks.Select(g => Negotiate(g, tick, board)));

    public async ValueTask<bool[][]> DecideAsync(int tick, ContractRequest[][] requestsByProvider)
    {
        var groups = GroupsWithProviders();
        var asked = new List<int>();
        var calls = new List<Task<bool[][]>>();
        foreach (var g in groups)
        {
            var providers = layout.ProvidersOf(g, requestsByProvider.Length);
            if (providers.All(p => requestsByProvider[p] is not { Length: > 0 })) continue;   // deciding on none changes nothing
            asked.Add(g);
            calls.Add(Decide(g, tick, [.. providers.Select(p => requestsByProvider[p] ?? [])]));
        }
        var answers = await Task.WhenAll(calls);
        var decisions = new bool[requestsByProvider.Length][];
        for (var p = 0; p < decisions.Length; p++) decisions[p] = [];
        for (var k = 0; k < asked.Count; k++)
        {
            var providers = layout.ProvidersOf(asked[k], requestsByProvider.Length);
            for (var i = 0; i < providers.Length; i++) decisions[providers[i]] = answers[k][i];
        }
        return decisions;
    }

    public async ValueTask<DemandReport[]> DemandAsync(int tick, bool[][] routed) =>
        await Task.WhenAll(_withBlocks.Select((g, i) => Demand(g, tick, routed[i])));

    public async ValueTask<UsageReport[]> ConsumeAsync(int tick, Fills fills) =>
        await Task.WhenAll(_withBlocks.Select(g => Consume(g, tick, fills)));

    public async ValueTask<ProviderReport[]> SettleAsync(int tick, ProviderUsage[] usage)
    {
        var groups = GroupsWithProviders();
        var answers = await Task.WhenAll(groups.Select(g =>
            Settle(g, tick, [.. layout.ProvidersOf(g, usage.Length).Select(p => usage[p])])));
        return ByProvider(groups, answers);
    }

    private T[] ByProvider<T>(int[] groups, T[][] answers)
    {
        var result = new T[setup.ProviderCount];
        for (var k = 0; k < groups.Length; k++)
        {
            var providers = layout.ProvidersOf(groups[k], result.Length);
            if (answers[k].Length != providers.Length)
                throw new InvalidOperationException($"agent group {groups[k]} answered for {answers[k].Length} providers, not {providers.Length}");
            for (var i = 0; i < providers.Length; i++) result[providers[i]] = answers[k][i];
        }
        return result;
    }
}

/// <summary>A run's agents in groups in this process (<see cref="AgentGroup"/>), called in group order; the tasks it
/// returns are complete. It runs the same ticks as <see cref="LocalAgents"/>, with the groups' merged messages: a test
/// checks that the states are the same, bit for bit, whatever the number of groups.</summary>
public sealed class LocalGroups : GroupedAgentHost
{
    public LocalGroups(MarketSetup setup, int groups, bool parallel = false, int laneCustomers = 0)
        : this(setup, GroupLayout.For(setup, groups), parallel, laneCustomers) { }

    private LocalGroups(MarketSetup setup, GroupLayout layout, bool parallel, int laneCustomers) : base(layout, setup) =>
        Groups = [.. Enumerable.Range(0, layout.Groups).Select(g => new AgentGroup(setup, layout, g, parallel, laneCustomers))];

    /// <summary>The host of a group that holds every agent (<see cref="AgentGroup.RunTick"/>).</summary>
    internal LocalGroups(AgentGroup whole) : base(whole.Layout, whole.Setup) => Groups = [whole];

    public AgentGroup[] Groups { get; }

    /// <summary>Every provider in index order.</summary>
    public IEnumerable<ProviderAgent> Providers =>
        Groups.SelectMany(g => g.ProviderIndices.Zip(g.Providers)).OrderBy(x => x.First).Select(x => x.Second);

    /// <summary>Every customer block in index order.</summary>
    public IEnumerable<CustomerBlock> Blocks => Groups.SelectMany(g => g.Blocks);

    protected override Task<ProviderPlan[]> Plan(int group, int tick, MarketView view) => Task.FromResult(Groups[group].Plan(tick, view));
    protected override Task<NegotiationBatch> Negotiate(int group, int tick, QuoteBoard board) => Task.FromResult(Groups[group].Negotiate(tick, board));
    protected override Task<bool[][]> Decide(int group, int tick, ContractRequest[][] requests) => Task.FromResult(Groups[group].Decide(tick, requests));
    protected override Task<DemandReport> Demand(int group, int tick, bool[] routed) => Task.FromResult(Groups[group].Demand(tick, routed));
    protected override Task<UsageReport> Consume(int group, int tick, Fills fills) => Task.FromResult(Groups[group].Consume(tick, fills));
    protected override Task<ProviderReport[]> Settle(int group, int tick, ProviderUsage[] usage) => Task.FromResult(Groups[group].Settle(tick, usage));
}
