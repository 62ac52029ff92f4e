using System.Diagnostics;
using MarketSim.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace MarketSim.Grains;

/// <summary>
/// The kernel of a run: owns the simulated clock and drives the phases of each tick across the provider and
/// customer-block grains, routing their batched messages with <see cref="MarketKernel"/>, exactly as the
/// reference engine does in one loop. Every <c>CheckpointEvery</c> ticks it has every agent persist its state
/// at the tick boundary; when an agent is lost (a silo died) it brings the whole run back to the last
/// checkpoint and replays, which, the engine being deterministic, ends in the same state.
/// </summary>
public sealed class RunCoordinatorGrain(
    [PersistentState("run", AgentGrain<ProviderAgent>.StorageName)] IPersistentState<RunRecord> record,
    ILogger<RunCoordinatorGrain> logger,
    EngineMetrics engineMetrics, MarketMetrics marketMetrics, SegmentMetrics segmentMetrics, NegotiationMetrics negotiationMetrics)
    : Grain, IRunCoordinatorGrain
{
    /// <summary>Grain calls the coordinators of this process have made to run ticks (one per agent per phase);
    /// read by <c>marketsim bench</c> to report grain messages per tick.</summary>
    public static long TickCallsMade => GrainAgents.CallsMade;

    /// <summary>How long the run keeps trying to recover from lost agents before it fails.</summary>
    public static TimeSpan RecoveryLimit { get; set; } = TimeSpan.FromSeconds(90);

    private MarketSetup? _setup;
    private MarketView? _view;
    private int _nextTick;
    private IProviderGrain[] _providers = [];
    private ICustomerBlockGrain[] _blocks = [];
    /// <summary>Ticks up to here have been recorded in the metrics (a replay after recovery records nothing twice).</summary>
    private int _recordedThrough = -1;

    private string RunId => this.GetPrimaryKeyString();
    private RunRecord Record => record.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Record.Started) return;
        // This run was started before and its coordinator was lost with its silo: return to the last checkpoint.
        logger.LogWarning("run {Run}: coordinator reactivated, returning to the checkpoint of tick {Tick}", RunId, Record.CheckpointTick);
        await RecoverWithRetries(cancellationToken);
    }

    /// <summary>Refuses what a caller sends before anything of the run changes: the scenario and the checkpoint interval of
    /// a start, checked as the scenario loader checks a file.</summary>
    /// <exception cref="ArgumentException">The problems, one per line.</exception>
    private static void CheckStart(StartRun request)
    {
        var problems = new List<string>(RunInputCheck.Scenario(request.ScenarioJson ?? ""));
        if (request.CheckpointEvery < 0) problems.Add($"checkpointEvery: {request.CheckpointEvery} must be 0 (none) or more");
        if (problems.Count > 0) throw Refused("the scenario was refused; nothing was started", problems);
    }

    private static ArgumentException Refused(string what, IEnumerable<string> problems) =>
        new($"{what}:\n{string.Join('\n', problems)}");

    public async Task<RunStatus> Start(StartRun request)
    {
        CheckStart(request);
        if (Record.Started)
        {
            if (Record.ScenarioJson != request.ScenarioJson && _nextTick == 0 && Record.CheckpointTick == 0 && Record.Origin.Length == 0)
                throw new InvalidOperationException($"run '{RunId}' was started with another scenario");
            return await Status();
        }
        Record.ScenarioJson = request.ScenarioJson;
        Record.CheckpointEvery = request.CheckpointEvery;
        await InitAgents(ScenarioJson.Deserialize(request.ScenarioJson));
        _view = MarketKernel.InitialView(_setup!);
        _nextTick = 0;
        await SaveRecord(0);
        return await Status();
    }

    public async Task<RunStatus> StartFrom(StartRun request, byte[] checkpoint)
    {
        CheckStart(request);
        if (Record.Started) throw new InvalidOperationException($"run '{RunId}' already exists");
        RunCheckpoint cp;
        try
        {
            cp = Codec.FromBytes(checkpoint, RunCheckpoint.Read);
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or OverflowException or OutOfMemoryException)
        {
            throw Refused("the checkpoint was refused; nothing was started", [$"checkpoint: does not decode ({e.Message.Split('\n')[0]})"]);
        }
        var scenario = ScenarioJson.Deserialize(request.ScenarioJson);
        var setup = new MarketSetup(scenario);
        if (setup.ProviderCount != cp.Providers.Length || setup.BlockCount != cp.Blocks.Length)
            throw new ArgumentException($"the checkpoint has {cp.Providers.Length} providers and {cp.Blocks.Length} customer blocks, " +
                $"the scenario {setup.ProviderCount} and {setup.BlockCount}: a fork may change parameters and events, not the market's size");
        if (cp.NextTick < 0 || cp.NextTick > setup.Ticks)
            throw Refused("the checkpoint was refused; nothing was started", [$"checkpoint: tick {cp.NextTick} is outside the scenario's 0..{setup.Ticks}"]);
        Record.ScenarioJson = request.ScenarioJson;
        Record.CheckpointEvery = request.CheckpointEvery;
        Record.Origin = checkpoint;
        await LoadAgents(request.ScenarioJson, cp);
        await SaveRecord(cp.NextTick);
        return await Status();
    }

    private async Task InitAgents(Scenario scenario)
    {
        var json = ScenarioJson.Serialize(scenario);
        _setup = new MarketSetup(scenario);
        BindAgents(_setup);
        await Task.WhenAll(
            _providers.Select((p, i) => p.Init(new AgentInit(RunId, json, i)))
                .Concat(_blocks.Select((b, i) => b.Init(new AgentInit(RunId, json, i)))));
    }

    private async Task LoadAgents(string scenarioJson, RunCheckpoint cp)
    {
        _setup = new MarketSetup(ScenarioJson.Deserialize(scenarioJson));
        BindAgents(_setup);
        await Task.WhenAll(
            _providers.Select((p, i) => p.LoadState(new AgentInit(RunId, scenarioJson, i), cp.Providers[i]))
                .Concat(_blocks.Select((b, i) => b.LoadState(new AgentInit(RunId, scenarioJson, i), cp.Blocks[i]))));
        _view = Codec.FromBytes(cp.View, MarketView.Read);
        _nextTick = cp.NextTick;
    }

    private void BindAgents(MarketSetup setup)
    {
        _providers = [.. Enumerable.Range(0, setup.ProviderCount).Select(i => GrainFactory.GetGrain<IProviderGrain>(AgentKeys.Of(RunId, i)))];
        _blocks = [.. Enumerable.Range(0, setup.BlockCount).Select(i => GrainFactory.GetGrain<ICustomerBlockGrain>(AgentKeys.Of(RunId, i)))];
    }

    /// <summary>Records a complete checkpoint (agents persisted first, then this record).</summary>
    private async Task SaveRecord(int tick)
    {
        Record.Started = true;
        Record.CheckpointTick = tick;
        Record.CheckpointView = Codec.ToBytes(_view!.Write);
        Record.ProvidersAtCheckpoint = _providers.Length;
        await record.WriteStateAsync();
    }

    public Task<RunStatus> Status() =>
        Task.FromResult(new RunStatus(RunId, _nextTick, _setup?.Ticks ?? 0, _setup is not null));

    private MarketSetup Setup => _setup ?? throw new InvalidOperationException($"run '{RunId}' has not been started");

    public async Task<TickBatch> Advance(int maxTicks, int maxMilliseconds)
    {
        var setup = Setup;
        var clock = Stopwatch.StartNew();
        var observations = new List<byte[]>();
        while (_nextTick < setup.Ticks && observations.Count < maxTicks)
        {
            TickObservation observation;
            try
            {
                observation = await RunTick(_nextTick);
            }
            catch (Exception e) when (e is not ArgumentException)
            {
                logger.LogWarning("run {Run}: tick {Tick} failed ({Error}); returning to the checkpoint of tick {Checkpoint}",
                    RunId, _nextTick, e.Message, Record.CheckpointTick);
                await RecoverWithRetries(CancellationToken.None);
                continue;
            }
            observations.Add(Codec.ToBytes(observation.Write));
            if (Record.CheckpointEvery > 0 && _nextTick % Record.CheckpointEvery == 0 && _nextTick < setup.Ticks)
                await Checkpoint();
            if (clock.ElapsedMilliseconds >= maxMilliseconds) break;
        }
        return new TickBatch(_nextTick, _nextTick >= setup.Ticks, [.. observations]);
    }

    private async Task Checkpoint()
    {
        var tick = _nextTick;
        await Task.WhenAll(_providers.Select(p => p.Persist(tick)).Concat(_blocks.Select(b => b.Persist(tick))));
        await SaveRecord(tick);
    }

    private async Task RecoverWithRetries(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Recover();
                logger.LogWarning("run {Run}: recovered at tick {Tick} (attempt {Attempt})", RunId, _nextTick, attempt);
                return;
            }
            catch (Exception e) when (deadline.Elapsed < RecoveryLimit && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("run {Run}: recovery attempt {Attempt} failed ({Error}); retrying", RunId, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
            }
        }
    }

    /// <summary>Brings every agent back to the last complete checkpoint (or to the run's start).</summary>
    private async Task Recover()
    {
        var scenarioJson = Record.ScenarioJson;
        var tick = Record.CheckpointTick;
        var setup = new MarketSetup(ScenarioJson.Deserialize(scenarioJson));
        if (Record.Origin.Length > 0 && tick == Codec.FromBytes(Record.Origin, RunCheckpoint.Read).NextTick)
        {
            await LoadAgents(scenarioJson, Codec.FromBytes(Record.Origin, RunCheckpoint.Read));
            return;
        }
        _setup = setup;
        BindAgents(setup);
        if (tick == 0)
        {
            await Task.WhenAll(
                _providers.Select((p, i) => p.Init(new AgentInit(RunId, scenarioJson, i)))
                    .Concat(_blocks.Select((b, i) => b.Init(new AgentInit(RunId, scenarioJson, i)))));
            _view = MarketKernel.InitialView(setup);
        }
        else
        {
            var providersAtCheckpoint = Record.ProvidersAtCheckpoint;
            await Task.WhenAll(
                _providers.Select((p, i) => p.Recover(new AgentInit(RunId, scenarioJson, i), tick, i < providersAtCheckpoint))
                    .Concat(_blocks.Select((b, i) => b.Recover(new AgentInit(RunId, scenarioJson, i), tick, true))));
            _view = Codec.FromBytes(Record.CheckpointView, MarketView.Read);
        }
        _nextTick = tick;
    }

    private async Task<TickObservation> RunTick(int tick)
    {
        var setup = Setup;
        var started = Stopwatch.GetTimestamp();
        var (observation, view) = await TickProtocol.RunAsync(new GrainAgents(_providers, _blocks), setup, tick, _view!);
        _view = view;
        _nextTick = tick + 1;
        if (tick > _recordedThrough)
        {
            RecordMetrics(observation, Stopwatch.GetElapsedTime(started));
            _recordedThrough = tick;
        }
        return observation;
    }

    private void RecordMetrics(TickObservation observation, TimeSpan duration)
    {
        var providerIds = Setup.Providers.Select(p => p.Id).ToArray();
        var levels = Setup.CapabilityLevels.Select(l => l.Label).ToArray();
        marketMetrics.Record(RunId, providerIds, levels, observation);
        segmentMetrics.Record(RunId, observation);
        negotiationMetrics.Record(RunId, observation);
        engineMetrics.Record(RunId, Setup.Ticks, observation, duration);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        marketMetrics.Remove(RunId);
        segmentMetrics.Remove(RunId);
        engineMetrics.Remove(RunId);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task<string> Fingerprint()
    {
        var providers = await Task.WhenAll(_providers.Select(p => p.Digest()));
        var blocks = await Task.WhenAll(_blocks.Select(b => b.Digest()));
        return Model.Engine.Fingerprint.Combine(_nextTick, Codec.ToBytes(_view!.Write), providers, blocks);
    }

    public async Task<int> Inject(string eventJson)
    {
        var setup = Setup;
        var (e, problem) = RunInputCheck.ParseEvent(eventJson ?? "");
        if (e is null) throw Refused("the event was refused; the run is unchanged", [problem!]);
        if (_nextTick >= setup.Ticks)
            throw Refused("the event was refused; the run is unchanged", [$"{e.Kind}: the run has finished ({setup.Ticks} ticks); nothing to inject into"]);
        // Checked against the run as it stands (its scenario with the events injected so far) at the tick it would apply.
        var problems = RunInputCheck.Event(ScenarioJson.Serialize(setup.Scenario), e, _nextTick);
        if (problems.Count > 0) throw Refused("the event was refused; the run is unchanged", problems);
        var tick = _nextTick;
        var before = setup.ProviderCount;
        setup.Inject(e, tick);
        var json = System.Text.Json.JsonSerializer.Serialize(e, ScenarioJson.Options);
        await Task.WhenAll(_providers.Select(p => p.Inject(json, tick)).Concat(_blocks.Select(b => b.Inject(json, tick))));
        Record.ScenarioJson = ScenarioJson.Serialize(setup.Scenario);
        if (setup.ProviderCount > before)
        {
            var added = Enumerable.Range(before, setup.ProviderCount - before)
                .Select(i => GrainFactory.GetGrain<IProviderGrain>(AgentKeys.Of(RunId, i))).ToArray();
            await Task.WhenAll(added.Select((p, k) => p.Init(new AgentInit(RunId, Record.ScenarioJson, before + k))));
            _providers = [.. _providers, .. added];
        }
        await record.WriteStateAsync();
        return tick;
    }

    public async Task<byte[]> ExportCheckpoint()
    {
        var providers = await Task.WhenAll(_providers.Select(p => p.SaveState()));
        var blocks = await Task.WhenAll(_blocks.Select(b => b.SaveState()));
        var cp = new RunCheckpoint(_nextTick, ScenarioJson.Serialize(Setup.Scenario), Codec.ToBytes(_view!.Write), providers, blocks);
        return Codec.ToBytes(cp.Write);
    }
}
