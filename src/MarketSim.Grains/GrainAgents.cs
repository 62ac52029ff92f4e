namespace MarketSim.Grains;

/// <summary>
/// The agents of a run as provider and customer-block grains, for <see cref="TickProtocol"/>: each phase is one
/// call per grain, all concurrent, with the model's messages as they are (handed over within a silo, in their binary
/// form between silos: Contracts/ModelCodecs.cs). A
/// provider without contract requests is not called to decide. Every call made is counted in
/// <see cref="CallsMade"/>.
/// </summary>
internal sealed class GrainAgents(IProviderGrain[] providers, ICustomerBlockGrain[] blocks) : IAgentHost
{
    /// <summary>Grain calls made in this process to run ticks (one per agent per phase).</summary>
    public static long CallsMade => Interlocked.Read(ref s_calls);
    private static long s_calls;

    public async ValueTask<ProviderPlan[]> PlanAsync(int tick, MarketView view) =>
        await FanOut(providers, (p, _) => p.Plan(tick, view));

    public async ValueTask<NegotiationBatch[]> NegotiateAsync(int tick, QuoteBoard board) =>
        await FanOut(blocks, (b, _) => b.Negotiate(tick, board));

    public async ValueTask<bool[][]> DecideAsync(int tick, ContractRequest[][] requestsByProvider) =>
        await FanOut(providers, (p, i) => requestsByProvider[i] is { Length: > 0 } requests ? p.Decide(tick, new ContractRequests(requests)) : null, []);

    public async ValueTask<DemandReport[]> DemandAsync(int tick, bool[][] routed) =>
        await FanOut(blocks, (b, i) => b.Demand(tick, routed[i]));

    public async ValueTask<UsageReport[]> ConsumeAsync(int tick, Fills fills) =>
        await FanOut(blocks, (b, _) => b.Consume(tick, fills));

    public async ValueTask<ProviderReport[]> SettleAsync(int tick, ProviderUsage[] usage) =>
        await FanOut(providers, (p, i) => p.Settle(tick, usage[i]));

    /// <summary>One call per agent, concurrently, counted in <see cref="CallsMade"/>.</summary>
    private static Task<T[]> FanOut<TAgent, T>(TAgent[] agents, Func<TAgent, int, Task<T>> call) =>
        FanOut<TAgent, T>(agents, call, default!);

    /// <summary>As <see cref="FanOut{TAgent,T}(TAgent[], Func{TAgent, int, Task{T}})"/>, but where
    /// <paramref name="call"/> gives no task the agent is not called and its result is <paramref name="skipped"/>.</summary>
    private static Task<T[]> FanOut<TAgent, T>(TAgent[] agents, Func<TAgent, int, Task<T>?> call, T skipped)
    {
        var tasks = new Task<T>[agents.Length];
        var made = 0;
        for (var i = 0; i < agents.Length; i++)
        {
            var task = call(agents[i], i);
            if (task is not null) made++;
            tasks[i] = task ?? Task.FromResult(skipped);
        }
        Interlocked.Add(ref s_calls, made);
        return Task.WhenAll(tasks);
    }
}
