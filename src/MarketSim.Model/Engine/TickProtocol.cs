namespace MarketSim.Model.Engine;

/// <summary>
/// The agents of a run as <see cref="TickProtocol"/> sees them: one batched call per phase over all agents, in
/// agent-index order, wherever the agents live (<see cref="LocalAgents"/> in this process; agent groups,
/// <see cref="GroupedAgentHost"/>, in the Orleans engine). The customer phases answer one message per block, or per
/// group of consecutive blocks merged in block order (<see cref="AgentGroup"/>), which the kernel treats alike. A host keeps the tick's quote board from
/// <see cref="NegotiateAsync"/> for <see cref="DemandAsync"/> and <see cref="ConsumeAsync"/>.
/// </summary>
public interface IAgentHost
{
    /// <summary>Phase 1: every provider's plan (unit costs, list prices) from the previous tick's view.</summary>
    ValueTask<ProviderPlan[]> PlanAsync(int tick, MarketView view);

    /// <summary>Phase 2: every block's negotiation with the quote board.</summary>
    ValueTask<NegotiationBatch[]> NegotiateAsync(int tick, QuoteBoard board);

    /// <summary>Phase 2: each provider's decisions on the requests addressed to it, one flag per request. A provider
    /// with no requests (an empty or null entry) is not asked (deciding on none changes nothing); its entry is empty.</summary>
    ValueTask<bool[][]> DecideAsync(int tick, ContractRequest[][] requestsByProvider);

    /// <summary>Phase 3: each block applies the decisions routed to it and reports its demand.</summary>
    ValueTask<DemandReport[]> DemandAsync(int tick, bool[][] routed);

    /// <summary>Phase 3: each block consumes within the fills and pays.</summary>
    ValueTask<UsageReport[]> ConsumeAsync(int tick, Fills fills);

    /// <summary>Phase 4: each provider settles its usage (indexed by provider) and adapts.</summary>
    ValueTask<ProviderReport[]> SettleAsync(int tick, ProviderUsage[] usage);
}

/// <summary>What a tick yields: its observation and the view the next tick plans from.</summary>
public sealed record TickResult(TickObservation Observation, MarketView View);

/// <summary>
/// The phases of a tick (docs/MODEL.md) and what flows between them, written once: every engine runs its ticks
/// through <see cref="RunAsync"/> and differs only in its <see cref="IAgentHost"/>. Between the agents' phases the
/// <see cref="MarketKernel"/> routes and rations.
/// </summary>
public static class TickProtocol
{
    /// <summary>Runs tick <paramref name="tick"/> from the previous tick's <paramref name="view"/>.</summary>
    public static async Task<TickResult> RunAsync(IAgentHost host, MarketSetup setup, int tick, MarketView view)
    {
        // 1. Costs and list prices.
        var plans = await host.PlanAsync(tick, view);
        var board = QuoteBoard.Assemble(tick, plans);
        // 2. Negotiation: blocks bargain, providers decide in customer order within capacity.
        var batches = await host.NegotiateAsync(tick, board);
        var requests = new ContractRequest[plans.Length][];
        for (var p = 0; p < requests.Length; p++) requests[p] = MarketKernel.RequestsFor(p, batches);
        var decisions = await host.DecideAsync(tick, requests);
        var routed = MarketKernel.RouteDecisions(batches, decisions);
        // 3. Usage and settlement.
        var demand = await host.DemandAsync(tick, routed);
        var fills = MarketKernel.ComputeFills(board, demand);
        var usage = await host.ConsumeAsync(tick, fills);
        var byProvider = MarketKernel.UsageByProvider(plans.Length, usage);
        // 4. Adaptation: providers book costs, raise funding or exit, learn and invest.
        var reports = await host.SettleAsync(tick, byProvider);
        // 5. Observation.
        var observation = MarketKernel.Observe(setup, tick, reports, usage, MarketKernel.NegotiationTotals(batches, decisions));
        return new TickResult(observation, MarketKernel.ViewOf(observation));
    }

    /// <summary><see cref="RunAsync"/> for a host that answers at once (agents in this process): no thread waits.</summary>
    /// <exception cref="InvalidOperationException">The host answered asynchronously.</exception>
    public static TickResult Run(IAgentHost host, MarketSetup setup, int tick, MarketView view)
    {
        var task = RunAsync(host, setup, tick, view);
        if (!task.IsCompleted) throw new InvalidOperationException($"{host.GetType().Name} answered asynchronously; use {nameof(RunAsync)}");
        return task.GetAwaiter().GetResult();
    }
}
