using Orleans.Runtime;

namespace MarketSim.Grains;

/// <summary>Hosts one <see cref="ProviderAgent"/> of a run (key "runId/index"); every decision is the agent's.</summary>
public sealed class ProviderGrain([PersistentState("agent", AgentGrain<ProviderAgent>.StorageName)] IPersistentState<AgentRecord> record)
    : AgentGrain<ProviderAgent>(record), IProviderGrain
{
    protected override ProviderAgent Create(MarketSetup setup, int index) => new(setup, index);

    public Task<byte[]> Plan(int tick, byte[] view)
    {
        var plan = Agent.Plan(tick, Codec.FromBytes(view, MarketView.Read));
        return Task.FromResult(Codec.ToBytes(plan.Write));
    }

    public Task<bool[]> Decide(int tick, byte[] requests) =>
        Task.FromResult(Agent.DecideContracts(tick, Codec.FromBytes(requests, Codec.ReadArray<ContractRequest>)));

    public Task<byte[]> Settle(int tick, byte[] usage)
    {
        var report = Agent.Settle(tick, Codec.FromBytes(usage, ProviderUsage.Read));
        return Task.FromResult(Codec.ToBytes(report.Write));
    }
}
