namespace MarketSim.Grains;

/// <summary>
/// The agents of a run as agent-group grains, for <see cref="TickProtocol"/>: each phase is one call per group that has
/// agents for it, all concurrent, with the model's messages as they are (handed over within a silo, in their binary
/// form between silos: Contracts/ModelCodecs.cs). A run in one group runs its whole tick in it (<see cref="RunTickAsync"/>).
/// Every call made is counted in <paramref name="traffic"/>, with the payload bytes sent and received.
/// </summary>
internal sealed class GrainAgents(IAgentGroupGrain[] groups, GroupLayout layout, MarketSetup setup, TrafficCounter traffic)
    : GroupedAgentHost(layout, setup)
{
    /// <summary>Tick <paramref name="tick"/>: in the run's one group with no message between its phases, or phase by
    /// phase across the groups.</summary>
    public async Task<TickResult> RunTickAsync(int tick, MarketView view)
    {
        if (groups.Length > 1) return await TickProtocol.RunAsync(this, Setup, tick, view);
        var run = await Call(0, Codec.SizeOf(view.Write), g => g.RunTick(tick, view));
        return new TickResult(run.Observation, run.View);
    }

    protected override async Task<ProviderPlan[]> Plan(int group, int tick, MarketView view) =>
        (await Call(group, Codec.SizeOf(view.Write), g => g.Plan(tick, view))).Items;

    protected override Task<NegotiationBatch> Negotiate(int group, int tick, QuoteBoard board) =>
        Call(group, Codec.SizeOf(board.Write), g => g.Negotiate(tick, board));

    protected override async Task<bool[][]> Decide(int group, int tick, ContractRequest[][] requests)
    {
        var message = new GroupRequests(requests);
        return (await Call(group, Codec.SizeOf(message.Write), g => g.Decide(tick, message))).ByProvider;
    }

    protected override Task<DemandReport> Demand(int group, int tick, bool[] routed) =>
        Call(group, TrafficCounter.SizeOf(routed), g => g.Demand(tick, routed));

    protected override Task<UsageReport> Consume(int group, int tick, Fills fills) =>
        Call(group, Codec.SizeOf(fills.Write), g => g.Consume(tick, fills));

    protected override async Task<ProviderReport[]> Settle(int group, int tick, ProviderUsage[] usage)
    {
        var message = new ProviderUsages(usage);
        return (await Call(group, Codec.SizeOf(message.Write), g => g.Settle(tick, message))).Items;
    }

    /// <summary>One call to a group, counted with the bytes it sends and receives.</summary>
    private async Task<TReply> Call<TReply>(int group, long sentBytes, Func<IAgentGroupGrain, Task<TReply>> call)
        where TReply : class, IWireMessage<TReply>
    {
        traffic.Calls++;
        traffic.Sent(sentBytes);
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

    public void Sent(long bytes) => BytesSent += bytes;

    public void Received(long bytes) => BytesReceived += bytes;

    /// <summary>A bool array as Orleans' array codec sends it, about: a 4-byte count and a byte a value.</summary>
    public static long SizeOf(bool[] values) => 4 + values.Length;
}
