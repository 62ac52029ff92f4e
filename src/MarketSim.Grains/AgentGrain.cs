using System.Text.Json;
using Orleans.Runtime;

namespace MarketSim.Grains;

/// <summary>
/// What provider and customer-block grains share: they host one model agent built from the run's scenario,
/// and can save, load, persist and recover its state and take injected events. The economics stay in the agent.
/// </summary>
public abstract class AgentGrain<TAgent>(IPersistentState<AgentRecord> record) : Grain, IAgentGrain, IAgentLabel
    where TAgent : class, IAgentState
{
    public const string StorageName = "checkpoints";

    private TAgent? _agent;
    private MarketSetup? _setup;

    protected abstract TAgent Create(MarketSetup setup, int index);

    protected TAgent Agent => _agent ?? throw new AgentStateLostException(
        $"agent {this.GetPrimaryKeyString()} has no state (its silo was lost, or it was never initialised)");

    /// <summary>How failures name this agent: "provider openai (2)", "customer block 3".</summary>
    protected abstract string Label { get; }

    string IAgentLabel.Label => HasAgent ? Label : this.GetPrimaryKeyString();

    protected MarketSetup Setup => _setup!;

    protected bool HasAgent => _agent is not null;

    /// <summary>The run this agent belongs to.</summary>
    protected string RunId { get; private set; } = "";

    /// <summary>The agent's index within its run.</summary>
    protected int Index { get; private set; }

    public Task Init(AgentInit init)
    {
        RunId = init.RunId;
        Index = init.Index;
        _setup = new MarketSetup(ScenarioJson.Deserialize(init.ScenarioJson));
        _agent = Create(_setup, init.Index);
        return Task.CompletedTask;
    }

    public Task<byte[]> SaveState() => Task.FromResult(Codec.ToBytes(Agent.Write));

    public async Task LoadState(AgentInit init, byte[] state)
    {
        await Init(init);
        Codec.FromBytes(state, r => { _agent!.Read(r); return 0; });
    }

    public Task<byte[]> Digest() => Task.FromResult(Fingerprint.OfState(Codec.ToBytes(Agent.Write)));

    public async Task Persist(int tick)
    {
        record.State.Slots[tick] = Codec.ToBytes(Agent.Write);
        foreach (var old in record.State.Slots.Keys.OrderDescending().Skip(2).ToList()) record.State.Slots.Remove(old);
        await record.WriteStateAsync();
    }

    public async Task Recover(AgentInit init, int tick, bool mustExist)
    {
        await record.ReadStateAsync();
        if (record.State.Slots.TryGetValue(tick, out var state)) await LoadState(init, state);
        else if (!mustExist) await Init(init);
        else throw new AgentStateLostException($"agent {this.GetPrimaryKeyString()} has no checkpoint for tick {tick}");
    }

    public Task Inject(string eventJson, int tick)
    {
        var e = JsonSerializer.Deserialize<EventSpec>(eventJson, ScenarioJson.Options)!;
        Setup.Inject(e, tick);
        OnInjected();
        return Task.CompletedTask;
    }

    /// <summary>Called after an injected event was added to the setup.</summary>
    protected virtual void OnInjected() { }
}
