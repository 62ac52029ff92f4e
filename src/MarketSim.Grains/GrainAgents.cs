namespace MarketSim.Grains;

/// <summary>
/// The agents of a run as agent-group grains, for <see cref="TickProtocol"/>: each phase is one call per group that has
/// agents for it, all concurrent, with the model's messages as they are (handed over within a silo, in their binary
/// form between silos: Contracts/ModelCodecs.cs). Every call made is counted in <paramref name="traffic"/>, with the
/// payload bytes sent and received.
/// </summary>
internal sealed class GrainAgents(IAgentGroupGrain[] groups, GroupLayout layout, MarketSetup setup, TrafficCounter traffic)
    : GroupedAgentHost(layout, setup)
{
    protected override async Task<ProviderPlan[]> Plan(int group, int tick, MarketView view) =>
        (await Call(group, view, g => g.Plan(tick, view))).Items;

    protected override Task<NegotiationBatch> Negotiate(int group, int tick, QuoteBoard board) =>
        Call(group, board, g => g.Negotiate(tick, board));

    protected override async Task<bool[][]> Decide(int group, int tick, ContractRequest[][] requests)
    {
        var message = new GroupRequests(requests);
        return (await Call(group, message, g => g.Decide(tick, message))).ByProvider;
    }

    protected override async Task<DemandReport> Demand(int group, int tick, bool[] routed)
    {
        traffic.Sent(TrafficCounter.SizeOf(routed));
        return await Call<MarketView, DemandReport>(group, null, g => g.Demand(tick, routed));
    }

    protected override Task<UsageReport> Consume(int group, int tick, Fills fills) => Call(group, fills, g => g.Consume(tick, fills));

    protected override async Task<ProviderReport[]> Settle(int group, int tick, ProviderUsage[] usage)
    {
        var message = new ProviderUsages(usage);
        return (await Call(group, message, g => g.Settle(tick, message))).Items;
    }

    /// <summary>One call to a group, counted with what it sends and receives.</summary>
    private async Task<TReply> Call<TSent, TReply>(int group, TSent? sent, Func<IAgentGroupGrain, Task<TReply>> call)
        where TSent : class, IWireMessage<TSent> where TReply : class, IWireMessage<TReply>
    {
        traffic.Calls++;
        if (sent is not null) traffic.Sent(Codec.SizeOf(sent.Write));
        var reply = await traffic.Wait(call(groups[group]));
        traffic.Received(Codec.SizeOf(reply.Write));
        return reply;
    }
}

/// <summary>A coordinator's count of its tick messages (see <see cref="TickTraffic"/>); used only in the coordinator's
/// turns, so not synchronised.</summary>
internal sealed class TrafficCounter
{
    public long Calls;
    public long BytesSent;
    public long BytesReceived;
    /// <summary>Stopwatch ticks spent in ticks, and of those waiting for the agents' replies (some call made and not
    /// answered): the rest is the coordinator's own work, done on one thread.</summary>
    public long TickTime;
    public long WaitTime;
    private int _outstanding;
    private long _waitingSince;

    public async Task<T> Wait<T>(Task<T> reply)
    {
        if (_outstanding++ == 0) _waitingSince = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await reply;
        }
        finally
        {
            if (--_outstanding == 0) WaitTime += System.Diagnostics.Stopwatch.GetTimestamp() - _waitingSince;
        }
    }

    /// <summary>A whole tick run by a run's one group (<see cref="IAgentGroupGrain.RunTick"/>), counted.</summary>
    public async Task<TickResult> Whole(IAgentGroupGrain group, int tick, MarketView view)
    {
        Calls++;
        Sent(Codec.SizeOf(view.Write));
        var run = await Wait(group.RunTick(tick, view));
        Received(Codec.SizeOf(run.Write));
        return new TickResult(run.Observation, run.View);
    }

    public void Sent(long bytes) => BytesSent += bytes;

    public void Received(long bytes) => BytesReceived += bytes;

    /// <summary>A bool array as Orleans' array codec sends it, about: a 4-byte count and a byte a value.</summary>
    public static long SizeOf(bool[] values) => 4 + values.Length;
}
