using System.Text.Json;
using MarketSim.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;

namespace MarketSim.Grains;

/// <summary>
/// Hosts one group of a run's agents (key "runId/group/g"): an <see cref="AgentGroup"/> of the model, whose blocks run
/// in parallel on the silo's cores. Placed one group per silo (<see cref="GroupPlacementAttribute"/>). Each agent's
/// checkpoints are its own entry in the checkpoint store, keyed by the run and the agent (not by the group), so a
/// checkpoint does not depend on the grouping. It records its providers' metrics where their state lives, and
/// withdraws them when it leaves this silo.
/// </summary>
[GroupPlacement]
public sealed class AgentGroupGrain(ProviderMetrics metrics, ILogger<AgentGroupGrain> logger) : Grain, IAgentGroupGrain, IAgentLabel
{
    public const string StorageName = "checkpoints";

    private AgentGroup? _group;
    private string _runId = "";
    /// <summary>Each agent's checkpoint record as last read or written (with its ETag), by storage key.</summary>
    private readonly Dictionary<string, GrainState<AgentRecord>> _records = [];
    /// <summary>Ticks up to here have been recorded in this process's metrics (a replay records nothing twice).</summary>
    private int _recordedThrough = -1;

    private AgentGroup Group => _group ?? throw new AgentStateLostException(
        $"agent group {this.GetPrimaryKeyString()} has no agents (its silo was lost, or it was never initialised)");

    string IAgentLabel.Label => $"agent group {this.GetPrimaryKeyString()}";

    public static string KeyOf(string runId, int group) => $"{runId}/group/{group}";

    private IGrainStorage Store => ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageName);

    public Task Init(GroupInit init)
    {
        Create(init);
        return Task.CompletedTask;
    }

    private void Create(GroupInit init)
    {
        if (_group is not null) RemoveMetrics();
        _runId = init.RunId;
        var setup = new MarketSetup(ScenarioJson.Deserialize(init.ScenarioJson));
        _group = new AgentGroup(setup, new GroupLayout(init.Groups, setup.BlockCount), init.Group, parallel: true);
        logger.LogInformation("run {Run}: agent group {Group} of {Groups} ({Providers} providers, blocks {First}..{Last}) active on silo {Silo}",
            init.RunId, init.Group, init.Groups, _group.Providers.Length, _group.FirstBlock, _group.FirstBlock + _group.Blocks.Length - 1, RuntimeIdentity);
    }

    public Task<GroupStates> SaveState() => Task.FromResult(new GroupStates(
        [.. Group.Providers.Select(p => Codec.ToBytes(p.Write))], [.. Group.Blocks.Select(b => Codec.ToBytes(b.Write))]));

    public Task LoadState(GroupInit init, GroupStates states)
    {
        Create(init);
        var group = Group;
        if (states.Providers.Length != group.Providers.Length || states.Blocks.Length != group.Blocks.Length)
            throw new ArgumentException($"agent group {init.Group}: {states.Providers.Length} provider and {states.Blocks.Length} block states " +
                $"for {group.Providers.Length} providers and {group.Blocks.Length} blocks");
        for (var i = 0; i < states.Providers.Length; i++) Read(group.Providers[i], states.Providers[i]);
        for (var i = 0; i < states.Blocks.Length; i++) Read(group.Blocks[i], states.Blocks[i]);
        return Task.CompletedTask;
    }

    private static void Read(IAgentState agent, byte[] state) => Codec.FromBytes(state, r => { agent.Read(r); return 0; });

    public Task<GroupStates> Digest() => Task.FromResult(new GroupStates(
        [.. Group.Providers.Select(p => Fingerprint.OfState(Codec.ToBytes(p.Write)))],
        [.. Group.Blocks.Select(b => Fingerprint.OfState(Codec.ToBytes(b.Write)))]));

    /// <summary>Storage entries of the group's agents: (key, agent, provider index or -1 for a block), providers then
    /// blocks.</summary>
    private IEnumerable<(string Key, IAgentState Agent, int Provider)> Agents()
    {
        var group = Group;
        for (var i = 0; i < group.Providers.Length; i++)
            yield return ($"{_runId}/provider/{group.ProviderIndices[i]}", group.Providers[i], group.ProviderIndices[i]);
        for (var i = 0; i < group.Blocks.Length; i++) yield return ($"{_runId}/block/{group.FirstBlock + i}", group.Blocks[i], -1);
    }

    private static GrainId StorageId(string key) => GrainId.Create("marketsim-agent", key);

    /// <summary>An agent's record with its ETag, read from the store once per activation.</summary>
    private async Task<GrainState<AgentRecord>> RecordOf(string key)
    {
        if (_records.TryGetValue(key, out var state)) return state;
        state = new GrainState<AgentRecord>(new AgentRecord());
        await Store.ReadStateAsync("agent", StorageId(key), state);
        state.State ??= new AgentRecord();
        _records[key] = state;
        return state;
    }

    public async Task Persist(int tick)
    {
        await Task.WhenAll(Agents().Select(async a =>
        {
            var record = await RecordOf(a.Key);
            record.State!.Slots[tick] = Codec.ToBytes(a.Agent.Write);
            foreach (var old in record.State.Slots.Keys.OrderDescending().Skip(2).ToList()) record.State.Slots.Remove(old);
            await Store.WriteStateAsync("agent", StorageId(a.Key), record);
        }));
    }

    public async Task Recover(GroupInit init, int tick, int providersAtCheckpoint)
    {
        Create(init);
        _records.Clear();   // re-read: another activation may have written since
        await Task.WhenAll(Agents().Select(async a =>
        {
            var record = await RecordOf(a.Key);
            if (record.State!.Slots.TryGetValue(tick, out var state)) Read(a.Agent, state);
            // A provider that entered after the checkpoint starts afresh; anything else must have been persisted.
            else if (a.Provider < providersAtCheckpoint)
                throw new AgentStateLostException($"agent {a.Key} has no checkpoint for tick {tick}");
        }));
    }

    public Task Inject(string eventJson, int tick)
    {
        var e = JsonSerializer.Deserialize<EventSpec>(eventJson, ScenarioJson.Options)!;
        var group = Group;
        group.Setup.Inject(e, tick);
        group.AddEntrants(group.Setup);
        return Task.CompletedTask;
    }

    public Task<string> Silo() => Task.FromResult(RuntimeIdentity);

    public Task<TickRun> RunTick(int tick, MarketView view)
    {
        var (observation, next) = Group.RunTick(tick, view);
        RecordMetrics(tick, observation.Providers);
        return Task.FromResult(new TickRun(observation, next));
    }

    public Task<ProviderPlans> Plan(int tick, MarketView view) => Task.FromResult(new ProviderPlans(Group.Plan(tick, view)));

    public Task<NegotiationBatch> Negotiate(int tick, QuoteBoard board) => Task.FromResult(Group.Negotiate(tick, board));

    public Task<GroupDecisions> Decide(int tick, GroupRequests requests) => Task.FromResult(new GroupDecisions(Group.Decide(tick, requests.ByProvider)));

    public Task<DemandReport> Demand(int tick, bool[] accepted) => Task.FromResult(Group.Demand(tick, accepted));

    public Task<UsageReport> Consume(int tick, Fills fills) => Task.FromResult(Group.Consume(tick, fills));

    public Task<ProviderReports> Settle(int tick, ProviderUsages usage)
    {
        var reports = Group.Settle(tick, usage.Items);
        RecordMetrics(tick, reports);
        return Task.FromResult(new ProviderReports(reports));
    }

    /// <summary>Records the reports of the group's providers (in <see cref="AgentGroup.ProviderIndices"/> order) once per tick.</summary>
    private void RecordMetrics(int tick, IReadOnlyList<ProviderReport> reports)
    {
        if (tick <= _recordedThrough) return;
        var group = Group;
        for (var i = 0; i < reports.Count; i++) metrics.Record(_runId, group.Setup.Providers[group.ProviderIndices[i]].Id, reports[i]);
        _recordedThrough = tick;
    }

    private void RemoveMetrics()
    {
        foreach (var p in _group!.ProviderIndices) metrics.Remove(_runId, _group.Setup.Providers[p].Id);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_group is not null) RemoveMetrics();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }
}
