using MarketSim.Grains.Telemetry;
using Orleans.Runtime;

namespace MarketSim.Grains;

/// <summary>Hosts one <see cref="ProviderAgent"/> of a run (key "runId/index"); every decision is the agent's.
/// It records the provider's metrics where the state lives, and withdraws them when it leaves this silo.</summary>
public sealed class ProviderGrain(
    [PersistentState("agent", AgentGrain<ProviderAgent>.StorageName)] IPersistentState<AgentRecord> record,
    ProviderMetrics metrics)
    : AgentGrain<ProviderAgent>(record), IProviderGrain
{
    protected override ProviderAgent Create(MarketSetup setup, int index) => new(setup, index);

    private string ProviderId => Setup.Providers[Index].Id;

    protected override string Label => $"provider {ProviderId} ({Index})";

    /// <summary>Ticks up to here have been recorded in this process's metrics: a replay after a recovery records
    /// nothing twice (a new activation in another process starts its counters afresh).</summary>
    private int _recordedThrough = -1;

    public Task<ProviderPlan> Plan(int tick, MarketView view) => Task.FromResult(Agent.Plan(tick, view));

    public Task<bool[]> Decide(int tick, ContractRequests requests) => Task.FromResult(Agent.DecideContracts(tick, requests.Items));

    public Task<ProviderReport> Settle(int tick, ProviderUsage usage)
    {
        var report = Agent.Settle(tick, usage);
        if (tick > _recordedThrough)
        {
            metrics.Record(RunId, ProviderId, report);
            _recordedThrough = tick;
        }
        return Task.FromResult(report);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (HasAgent) metrics.Remove(RunId, ProviderId);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }
}
