namespace MarketSim.Grains;

/// <summary>
/// The agents of a run as provider and customer-block grains, for <see cref="TickProtocol"/>: each phase is one
/// call per grain, all concurrent, with the model's messages as they are (handed over within a silo, in their binary
/// form between silos: Contracts/ModelCodecs.cs). A
/// provider without contract requests is not called to decide. Every call made is counted in <paramref name="traffic"/>,
/// with the payload bytes sent and received.
/// </summary>
internal sealed class GrainAgents(IProviderGrain[] providers, ICustomerBlockGrain[] blocks, TrafficCounter traffic) : IAgentHost
{
    public async ValueTask<ProviderPlan[]> PlanAsync(int tick, MarketView view)
    {
        traffic.Sent(providers.Length * Codec.SizeOf(view.Write));
        return traffic.Received(await traffic.Wait(FanOut(providers, (p, _) => p.Plan(tick, view))));
    }

    public async ValueTask<NegotiationBatch[]> NegotiateAsync(int tick, QuoteBoard board)
    {
        traffic.Sent(blocks.Length * Codec.SizeOf(board.Write));
        return traffic.Received(await traffic.Wait(FanOut(blocks, (b, _) => b.Negotiate(tick, board))));
    }

    public async ValueTask<bool[][]> DecideAsync(int tick, ContractRequest[][] requestsByProvider)
    {
        var decisions = await traffic.Wait(FanOut(providers, (p, i) =>
        {
            if (requestsByProvider[i] is not { Length: > 0 } items) return null;
            var requests = new ContractRequests(items);
            traffic.Sent(Codec.SizeOf(requests.Write));
            return p.Decide(tick, requests);
        }, []));
        foreach (var d in decisions) traffic.Received(TrafficCounter.SizeOf(d));
        return decisions;
    }

    public async ValueTask<DemandReport[]> DemandAsync(int tick, bool[][] routed)
    {
        foreach (var r in routed) traffic.Sent(TrafficCounter.SizeOf(r));
        return traffic.Received(await traffic.Wait(FanOut(blocks, (b, i) => b.Demand(tick, routed[i]))));
    }

    public async ValueTask<UsageReport[]> ConsumeAsync(int tick, Fills fills)
    {
        traffic.Sent(blocks.Length * Codec.SizeOf(fills.Write));
        return traffic.Received(await traffic.Wait(FanOut(blocks, (b, _) => b.Consume(tick, fills))));
    }

    public async ValueTask<ProviderReport[]> SettleAsync(int tick, ProviderUsage[] usage)
    {
        foreach (var u in usage) traffic.Sent(Codec.SizeOf(u.Write));
        return traffic.Received(await traffic.Wait(FanOut(providers, (p, i) => p.Settle(tick, usage[i]))));
    }

    /// <summary>One call per agent, concurrently, counted in the traffic.</summary>
    private Task<T[]> FanOut<TAgent, T>(TAgent[] agents, Func<TAgent, int, Task<T>> call) =>
        FanOut<TAgent, T>(agents, call, default!);

    /// <summary>As <see cref="FanOut{TAgent,T}(TAgent[], Func{TAgent, int, Task{T}})"/>, but where
    /// <paramref name="call"/> gives no task the agent is not called and its result is <paramref name="skipped"/>.</summary>
    private Task<T[]> FanOut<TAgent, T>(TAgent[] agents, Func<TAgent, int, Task<T>?> call, T skipped)
    {
        var tasks = new Task<T>[agents.Length];
        var made = 0;
        for (var i = 0; i < agents.Length; i++)
        {
            var task = call(agents[i], i);
            if (task is not null) made++;
            tasks[i] = task ?? Task.FromResult(skipped);
        }
        traffic.Calls += made;
        return Task.WhenAll(tasks);
    }
}

/// <summary>A coordinator's count of its tick messages (see <see cref="TickTraffic"/>); used only in the coordinator's
/// turns, so not synchronised.</summary>
internal sealed class TrafficCounter
{
    public long Calls;
    public long BytesSent;
    public long BytesReceived;
    /// <summary>Stopwatch ticks spent in ticks, and of those waiting for the agents' replies (calls made, not yet all
    /// answered): the rest is the coordinator's own work, done on one thread.</summary>
    public long TickTime;
    public long WaitTime;

    public async Task<T[]> Wait<T>(Task<T[]> replies)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await replies;
        }
        finally
        {
            WaitTime += System.Diagnostics.Stopwatch.GetTimestamp() - start;
        }
    }

    public void Sent(long bytes) => BytesSent += bytes;

    public T[] Received<T>(T[] replies) where T : class, IWireMessage<T>
    {
        foreach (var r in replies) BytesReceived += Codec.SizeOf(r.Write);
        return replies;
    }

    public void Received(long bytes) => BytesReceived += bytes;

    /// <summary>A bool array as Orleans' array codec sends it, about: a 4-byte count and a byte a value.</summary>
    public static long SizeOf(bool[] values) => 4 + values.Length;
}
