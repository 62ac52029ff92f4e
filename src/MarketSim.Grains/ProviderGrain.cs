using MarketSim.Grains.Telemetry;

namespace MarketSim.Grains;

/// <summary>Hosts one <see cref="ProviderAgent"/>; every decision is the agent's.</summary>
public sealed class ProviderGrain(ProviderMetrics metrics) : Grain, IProviderGrain
{
    private ProviderAgent? _agent;
    private string _runId = "";
    private string _providerId = "";

    public Task Init(AgentInit init)
    {
        var setup = new MarketSetup(ScenarioJson.Deserialize(init.ScenarioJson));
        _agent = new ProviderAgent(setup, init.Index);
        _runId = init.RunId;
        _providerId = setup.Providers[init.Index].Id;
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
        metrics.Record(_runId, _providerId, report);
        return Task.FromResult(Codec.ToBytes(report.Write));
    }

    public Task<byte[]> Digest() => Task.FromResult(Fingerprint.OfState(Codec.ToBytes(Agent.Write)));

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Remove(_runId, _providerId);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }
}
