namespace MarketSim.Model.Engine;

/// <summary>
/// How a run's agents are divided into <see cref="Groups"/> groups hosted together (one per silo in the Orleans
/// engine): provider p in group p mod groups, and the customer blocks in contiguous ranges, group g holding blocks
/// [g B / groups, (g + 1) B / groups). A group's customer messages are merged in block order, so the requests the
/// providers see stay in customer order; results do not depend on the number of groups.
/// </summary>
public sealed record GroupLayout(int Groups, int Blocks)
{
    public int GroupOfProvider(int provider) => provider % Groups;

    /// <summary>The providers of group <paramref name="group"/> among <paramref name="providers"/>, in index order.</summary>
    public int[] ProvidersOf(int group, int providers)
    {
        var list = new List<int>();
        for (var p = group; p < providers; p += Groups) list.Add(p);
        return [.. list];
    }

    /// <summary>First block and number of blocks of group <paramref name="group"/>.</summary>
    public (int First, int Count) BlocksOf(int group)
    {
        var first = (int)((long)group * Blocks / Groups);
        var end = (int)((long)(group + 1) * Blocks / Groups);
        return (first, end - first);
    }

    /// <summary>Groups that hold at least one customer block, in block order.</summary>
    public int[] GroupsWithBlocks() => [.. Enumerable.Range(0, Groups).Where(g => BlocksOf(g).Count > 0)];

    /// <summary>A layout of <paramref name="wanted"/> groups for a market, never more groups than it has agents to fill.</summary>
    public static GroupLayout For(MarketSetup setup, int wanted) =>
        new(Math.Clamp(wanted, 1, Math.Max(1, Math.Max(setup.BlockCount, setup.ProviderCount))), setup.BlockCount);
}

/// <summary>
/// One group of a run's agents (<see cref="GroupLayout"/>) hosted together: its providers and its contiguous range of
/// customer blocks, called phase by phase like <see cref="LocalAgents"/>, with the blocks' messages merged into one
/// per phase (<see cref="NegotiationBatch.Concat"/>, <see cref="DemandReport.Merge"/>, <see cref="UsageReport.Merge"/>:
/// concatenations in block order and integer sums, so exact). The blocks of a phase may run in parallel: they share
/// nothing but the read-only setup and the quote board.
/// </summary>
public sealed class AgentGroup
{
    private readonly MarketSetup _setup;
    private readonly bool _parallel;
    private QuoteBoard? _board;
    /// <summary>Each block's number of contract requests in the tick's merged batch (to split the decisions).</summary>
    private int[] _requestCounts = [];

    /// <param name="parallel">Run the blocks of a phase in parallel, and split a block's customers into lanes run in
    /// parallel when the group has fewer blocks than it needs to keep the cores busy.</param>
    /// <param name="laneCustomers">Customers per lane when <paramref name="parallel"/>; 0: the group's customers over
    /// twice the machine's cores (a block of 8192 customers in a group of 10,000 on 2 cores runs in 3 lanes; at 100,000
    /// customers no block is split).</param>
    public AgentGroup(MarketSetup setup, GroupLayout layout, int group, bool parallel = false, int laneCustomers = 0)
    {
        _setup = setup;
        _parallel = parallel;
        Layout = layout;
        Group = group;
        ProviderIndices = layout.ProvidersOf(group, setup.ProviderCount);
        Providers = [.. ProviderIndices.Select(i => new ProviderAgent(setup, i))];
        (FirstBlock, var count) = layout.BlocksOf(group);
        Blocks = [.. Enumerable.Range(FirstBlock, count).Select(i => new CustomerBlock(setup, i))];
        var customers = Blocks.Sum(b => (long)b.Count);
        _laneCustomers = laneCustomers > 0 ? laneCustomers : (int)Math.Max(1, customers / (2L * Environment.ProcessorCount));
    }

    private readonly int _laneCustomers;

    /// <summary>The lanes a block's phase runs in: one unless the group runs in parallel and the block is larger than a lane.</summary>
    private int LanesOf(CustomerBlock block) => _parallel ? Math.Max(1, block.Count / _laneCustomers) : 1;

    /// <summary>The blocks and lanes of a phase go to the process's thread pool, whatever scheduler the caller runs on (a
    /// grain's turn runs on its activation's scheduler). Stated, not needed: in a silo the default spread them over the
    /// cores as well (the caller ran 60 % of them, pool threads the rest; alternated runs equally fast).</summary>
    private static readonly ParallelOptions AnyThread = new() { TaskScheduler = TaskScheduler.Default };

    /// <summary>Runs a block's lanes on the thread pool; a lane that throws is rethrown as it was thrown.</summary>
    private static readonly CustomerBlock.LaneRunner InParallel = static (count, lane) =>
    {
        if (count == 1)
        {
            lane(0);
            return;
        }
        try
        {
            Parallel.For(0, count, AnyThread, lane);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    };

    private CustomerBlock.LaneRunner Runner => _parallel ? InParallel : CustomerBlock.Sequential;

    public GroupLayout Layout { get; }
    public int Group { get; }
    public MarketSetup Setup => _setup;
    /// <summary>Run-wide indices of <see cref="Providers"/>.</summary>
    public int[] ProviderIndices { get; private set; }
    public ProviderAgent[] Providers { get; private set; }
    public int FirstBlock { get; }
    public CustomerBlock[] Blocks { get; }

    /// <summary>Creates the providers of this group that <paramref name="setup"/> has gained (entrants injected).</summary>
    public void AddEntrants(MarketSetup setup)
    {
        var indices = Layout.ProvidersOf(Group, setup.ProviderCount);
        if (indices.Length == ProviderIndices.Length) return;
        Providers = [.. Providers, .. indices.Skip(ProviderIndices.Length).Select(i => new ProviderAgent(setup, i))];
        ProviderIndices = indices;
    }

    private QuoteBoard Board(int tick) => _board is { } b && b.Tick == tick
        ? b : throw new InvalidOperationException($"agent group {Group} has no quote board for tick {tick}: negotiation comes first");

    /// <summary>Phase 1 for this group's providers, in <see cref="ProviderIndices"/> order.</summary>
    public ProviderPlan[] Plan(int tick, MarketView view)
    {
        return EachProvider(i => Providers[i].Plan(tick, view));
    }

    /// <summary>Phase 2: this group's blocks bargain; their requests in block order, their counts summed.</summary>
    public NegotiationBatch Negotiate(int tick, QuoteBoard board)
    {
        _board = board;
        var batches = Each(b => b.Negotiate(tick, board, LanesOf(b), Runner));
        _requestCounts = [.. batches.Select(b => b.Requests.Length)];
        return NegotiationBatch.Concat(batches);
    }

    /// <summary>Phase 2: decisions of this group's providers on their requests (an empty entry: not asked).</summary>
    public bool[][] Decide(int tick, ContractRequest[][] requests)
    {
        return EachProvider(i => requests[i] is { Length: > 0 } r ? Providers[i].DecideContracts(tick, r) : []);
    }

    /// <summary>Phase 3: the blocks apply the decisions on the merged batch's requests and report their demand, merged.</summary>
    public DemandReport Demand(int tick, bool[] routed)
    {
        var board = Board(tick);
        if (routed.Length != _requestCounts.Sum())
            throw new ArgumentException($"agent group {Group}: {routed.Length} decisions for {_requestCounts.Sum()} requests");
        var parts = new bool[Blocks.Length][];
        for (int b = 0, at = 0; b < parts.Length; at += _requestCounts[b], b++) parts[b] = routed[at..(at + _requestCounts[b])];
        return DemandReport.Merge(Each((block, b) => block.ApplyDecisionsAndMeasureDemand(tick, board, parts[b], LanesOf(block), Runner)));
    }

    /// <summary>Phase 3: the blocks consume within the fills; their usage summed.</summary>
    public UsageReport Consume(int tick, Fills fills)
    {
        var board = Board(tick);
        return UsageReport.Merge(Each(b => b.Consume(tick, board, fills, LanesOf(b), Runner)));
    }

    /// <summary>Phase 4 for this group's providers (usage in <see cref="ProviderIndices"/> order).</summary>
    public ProviderReport[] Settle(int tick, ProviderUsage[] usage)
    {
        return EachProvider(i => Providers[i].Settle(tick, usage[i]));
    }

    private T[] Each<T>(Func<CustomerBlock, T> call) => Each((b, _) => call(b));

    private T[] Each<T>(Func<CustomerBlock, int, T> call) =>
        Each(Blocks.Length, b => call(Blocks[b], b), b => $"customer block {FirstBlock + b}");

    /// <summary>The providers one after another: a provider's phase takes microseconds, less than handing it to
    /// another thread costs (measured: docs/PERFORMANCE.md).</summary>
    private T[] EachProvider<T>(Func<int, T> call) => Each(Providers.Length, call, ProviderLabel, parallel: false);

    /// <summary>Calls <paramref name="call"/> for agents 0..count-1 (in parallel when the group is), each result at
    /// its agent's place; an agent that throws is named (the first in index order when several do).</summary>
    private T[] Each<T>(int count, Func<int, T> call, Func<int, string> label, bool parallel = true)
    {
        var results = new T[count];
        T One(int i)
        {
            try { return call(i); }
            catch (Exception e) { throw new AgentFailedException(label(i), e, i); }
        }
        if (!_parallel || !parallel || count < 2)
        {
            for (var i = 0; i < count; i++) results[i] = One(i);
            return results;
        }
        try
        {
            Parallel.For(0, count, AnyThread, i => results[i] = One(i));
        }
        catch (AggregateException e)
        {
            throw e.InnerExceptions.OfType<AgentFailedException>().OrderBy(x => x.Order).FirstOrDefault() ?? e.InnerExceptions[0];
        }
        return results;
    }

    /// <summary>How a provider is named in a failure: "provider openai (2)".</summary>
    public string ProviderLabel(int i) => $"provider {_setup.Providers[ProviderIndices[i]].Id} ({ProviderIndices[i]})";

    /// <summary>A whole tick of a group that holds every agent of the run (a layout of one group): the phases and the
    /// kernel run here, with no message between them; the same tick as <see cref="TickProtocol"/> over any host.</summary>
    public TickResult RunTick(int tick, MarketView view)
    {
        if (Layout.Groups != 1) throw new InvalidOperationException($"agent group {Group} holds a part of the run ({Layout.Groups} groups); a whole tick needs them all");
        return TickProtocol.Run(_whole ??= new LocalGroups(this), _setup, tick, view);
    }

    private LocalGroups? _whole;
}

/// <summary>An agent of a group threw: <see cref="Agent"/> names it ("provider openai (2)", "customer block 3"), the
/// inner exception is what it threw.</summary>
public sealed class AgentFailedException(string agent, Exception inner, int order = 0) : Exception($"{agent}: {inner.Message}", inner)
{
    public string Agent { get; } = agent;
    /// <summary>The agent's place in its group (of several failures the first is reported).</summary>
    public int Order { get; } = order;
}
