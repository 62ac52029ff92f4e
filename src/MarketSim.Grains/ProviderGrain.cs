namespace MarketSim.Grains;

/// <summary>Hosts one <see cref="ProviderAgent"/>; every decision is the agent's.</summary>
public sealed class ProviderGrain : Grain, IProviderGrain
{
    private ProviderAgent? _agent;

    public Task Init(AgentInit init)
    {
        _agent = new ProviderAgent(new MarketSetup(ScenarioJson.Deserialize(init.ScenarioJson)), init.Index);
        return Task.CompletedTask;
    }

    private ProviderAgent Agent => _agent ?? throw new InvalidOperationException($"provider {this.GetPrimaryKeyString()} was not initialised");

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

    public Task<byte[]> Digest() => Task.FromResult(Fingerprint.OfState(Codec.ToBytes(Agent.Write)));
}
