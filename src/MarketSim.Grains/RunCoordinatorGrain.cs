using System.Diagnostics;
using MarketSim.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace MarketSim.Grains;

/// <summary>
/// The kernel of a run: owns the simulated clock and drives the phases of each tick across the run's agent groups
/// (<see cref="AgentGroupGrain"/>), routing their batched messages with <see cref="MarketKernel"/>, exactly as the
/// reference engine does in one loop (a run in one group runs its whole tick there). Every <c>CheckpointEvery</c>
/// ticks it has every agent persist its state at the tick boundary; when an agent is lost (a silo died) it brings the
/// whole run back to the last checkpoint and replays, which, the engine being deterministic, ends in the same state.
/// </summary>
public sealed class RunCoordinatorGrain(
    [PersistentState("run", AgentGroupGrain.StorageName)] IPersistentState<RunRecord> record,
    ILogger<RunCoordinatorGrain> logger, IClusterMembershipService membership,
    EngineMetrics engineMetrics, MarketMetrics marketMetrics, SegmentMetrics segmentMetrics, NegotiationMetrics negotiationMetrics)
    : Grain, IRunCoordinatorGrain
{
    /// <summary>How long the run keeps trying to recover from lost agents before it fails.</summary>
    public static TimeSpan RecoveryLimit { get; set; } = ClusterDefaults.RunRecoveryLimit;

    /// <summary>How long a checkpoint waits for the checkpoint store (Redis) before the run stops (resumable).</summary>
    public static TimeSpan StoreWaitLimit { get; set; } = ClusterDefaults.CheckpointStoreWait;

    /// <summary>How long the client driving a run keeps it after its last call; another client is refused before.</summary>
    public static TimeSpan DriverLease { get; set; } = ClusterDefaults.DriverLease;

    private MarketSetup? _setup;
    private MarketView? _view;
    private int _nextTick;
    /// <summary>The run's agents, in groups (one per silo by default; <see cref="GroupLayout"/>).</summary>
    private IAgentGroupGrain[] _groups = [];
    private GroupLayout _layout = new(1, 0);
    /// <summary>The groups as <see cref="TickProtocol"/>'s host, made once per binding (not per tick).</summary>
    private GrainAgents? _host;
    /// <summary>Ticks up to here have been recorded in the metrics (a replay after recovery records nothing twice).</summary>
    private int _recordedThrough = -1;
    /// <summary>The observations of ticks [<see cref="_logFirst"/>, <see cref="_nextTick"/>) run by this activation;
    /// earlier ones are in the persisted chunks of the log (with checkpoints) or were handed over (without).</summary>
    private readonly List<TickObservation> _log = [];
    private int _logFirst;
    private readonly Dictionary<int, ObservationChunk> _loadedChunks = [];
    /// <summary>A tick failed half-way for a transport reason: the agents must return to the checkpoint before anything
    /// else runs.</summary>
    private bool _needsRecovery;
    /// <summary>The run failed (the model threw): every call that needs the failed tick or later gets this; the ticks
    /// before it can still be read.</summary>
    private RunFailedException? _failure;
    /// <summary>The furthest tick boundary this activation has reached or a caller has stood at: an injected event
    /// applies there, never at a tick a caller already has (after a recovery the run first replays up to it).</summary>
    private int _highWater;
    private string _driver = "";
    /// <summary>The tick messages of this activation (<see cref="Traffic"/>), and the ticks they ran (replays included).</summary>
    private readonly TrafficCounter _traffic = new();
    private int _ticksRun;
    private long _driverSeen = Stopwatch.GetTimestamp();

    private string RunId => this.GetPrimaryKeyString();
    private RunRecord Record => record.State;
    private bool Persistent => Record.CheckpointEvery > 0;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Where a run's coordinator lives (MARKETSIM_SILO_LOG=Information shows it; scripts/chaos.sh reads it).
        logger.LogInformation("run {Run}: coordinator active on silo {Silo}", RunId, RuntimeIdentity);
        if (!Record.Started) return;
        if (Incompatible() is not null) return;   // refused to whoever calls; its checkpoints are left as they are
        // This run was started before and its coordinator was lost with its silo: return to the last checkpoint.
        _driver = Record.Driver;
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

    /// <summary>One client drives a run at a time: the caller takes the run when it is its driver, when the run has
    /// none, or when the driver has made no call for <see cref="DriverLease"/>.</summary>
    /// <exception cref="RunBusyException">Another client drives the run.</exception>
    private void TakeDriver(string clientId)
    {
        if (clientId.Length == 0) return;
        var idle = Stopwatch.GetElapsedTime(_driverSeen);
        if (_driver.Length > 0 && _driver != clientId && idle < DriverLease)
            throw new RunBusyException($"run '{RunId}' is driven by another client (its last call {idle.TotalSeconds:F1} s ago); " +
                $"one client drives a run at a time: wait for that client to finish, or stop it and resume with --run-id {RunId}")
            { IdleSeconds = idle.TotalSeconds };
        if (_driver != clientId)
        {
            if (_driver.Length > 0) logger.LogWarning("run {Run}: client {Client} takes over from {Previous}", RunId, clientId, _driver);
            _driver = clientId;
            Record.Driver = clientId;
        }
        _driverSeen = Stopwatch.GetTimestamp();
    }

    /// <summary>The run was checkpointed by a marketsim whose agents' state records have other fields: this one cannot
    /// read its checkpoints (see <see cref="StateRecords"/>).</summary>
    private RunMismatchException? Incompatible() =>
        Record.Started && Record.StateSchemaSha256 != StateRecords.SchemaSha256
            ? new RunMismatchException($"run '{RunId}' was checkpointed by another version of marketsim, whose agents' state has other fields; " +
                "this version cannot resume it. fix: resume it with the version that started it, or start it afresh with a new --run-id")
            : null;

    public async Task<RunStatus> Start(StartRun request)
    {
        CheckStart(request);
        if (Record.Started)
        {
            if (Incompatible() is { } incompatible) throw incompatible;
            if (Record.StartedScenarioSha256.Length > 0 && Record.StartedScenarioSha256 != Model.Engine.Fingerprint.OfText(request.ScenarioJson))
                throw new RunMismatchException($"run '{RunId}' exists with another scenario (or other overrides or seed); nothing was changed. " +
                    "fix: resume it with the scenario and options it was started with, or choose a new --run-id");
            TakeDriver(request.ClientId ?? "");
            if (_failure is not null)
            {
                // A client resumes a failed run: return to its checkpoint and try again (a store that is back lets it go
                // on; a fault of the model recurs on its tick).
                _failure = null;
                await RecoverWithRetries(CancellationToken.None);
            }
            return await Status();
        }
        TakeDriver(request.ClientId ?? "");
        Record.ScenarioJson = request.ScenarioJson;
        Record.StartedScenarioSha256 = Model.Engine.Fingerprint.OfText(request.ScenarioJson);
        Record.StateSchemaSha256 = StateRecords.SchemaSha256;
        Record.CheckpointEvery = request.CheckpointEvery;
        Record.FirstTick = 0;
        await InitAgents(request.ScenarioJson);
        _view = MarketKernel.InitialView(_setup!);
        _nextTick = 0;
        ResetLog(0);
        await SaveRecord(0);
        return await Status();
    }

    public async Task<RunStatus> StartFrom(StartRun request, RunCheckpoint cp)
    {
        CheckStart(request);
        if (Record.Started) throw new InvalidOperationException($"run '{RunId}' already exists");
        if (cp is null) throw Refused("the checkpoint was refused; nothing was started", ["checkpoint: missing"]);
        var scenario = ScenarioJson.Deserialize(request.ScenarioJson);
        var setup = new MarketSetup(scenario);
        if (setup.ProviderCount != cp.Providers.Length || setup.BlockCount != cp.Blocks.Length)
            throw new ArgumentException($"the checkpoint has {cp.Providers.Length} providers and {cp.Blocks.Length} customer blocks, " +
                $"the scenario {setup.ProviderCount} and {setup.BlockCount}: a fork may change parameters and events, not the market's size");
        if (cp.NextTick < 0 || cp.NextTick > setup.Ticks)
            throw Refused("the checkpoint was refused; nothing was started", [$"checkpoint: tick {cp.NextTick} is outside the scenario's 0..{setup.Ticks}"]);
        TakeDriver(request.ClientId ?? "");
        Record.ScenarioJson = request.ScenarioJson;
        Record.StartedScenarioSha256 = Model.Engine.Fingerprint.OfText(request.ScenarioJson);
        Record.StateSchemaSha256 = StateRecords.SchemaSha256;
        Record.CheckpointEvery = request.CheckpointEvery;
        Record.Origin = Codec.ToBytes(cp.Write);
        Record.FirstTick = cp.NextTick;
        await LoadAgents(request.ScenarioJson, cp);
        ResetLog(cp.NextTick);
        await SaveRecord(cp.NextTick);
        return await Status();
    }

    /// <summary>Creates the agents from the scenario as the client sent it (the same text the run's record keeps).</summary>
    private async Task InitAgents(string json)
    {
        _setup = new MarketSetup(ScenarioJson.Deserialize(json));
        BindAgents(_setup);
        await Task.WhenAll(_groups.Select((g, i) => g.Init(GroupInit(json, i))));
    }

    private GroupInit GroupInit(string scenarioJson, int group) => new(RunId, scenarioJson, group, _layout.Groups);

    private async Task LoadAgents(string scenarioJson, RunCheckpoint cp)
    {
        _setup = new MarketSetup(ScenarioJson.Deserialize(scenarioJson));
        BindAgents(_setup);
        if (cp.Providers.Length != _setup.ProviderCount || cp.Blocks.Length != _setup.BlockCount)
            throw new ArgumentException($"the checkpoint has {cp.Providers.Length} providers and {cp.Blocks.Length} customer blocks; " +
                $"this market has {_setup.ProviderCount} and {_setup.BlockCount}");
        await Task.WhenAll(_groups.Select((g, i) =>
        {
            var (first, count) = _layout.BlocksOf(i);
            return g.LoadState(GroupInit(scenarioJson, i), new GroupStates(
                [.. _layout.ProvidersOf(i, cp.Providers.Length).Select(p => cp.Providers[p])], cp.Blocks[first..(first + count)]));
        }));
        _view = Codec.FromBytes(cp.View, MarketView.Read);
        _nextTick = cp.NextTick;
    }

    /// <summary>The run's agent groups: as many as the scenario's <c>engine.groups</c>, or one per silo active when the
    /// run started; the number is kept in the run's record.</summary>
    private void BindAgents(MarketSetup setup)
    {
        if (Record.Groups <= 0)
        {
            var wanted = setup.Scenario.Engine.Groups > 0 ? setup.Scenario.Engine.Groups
                : Math.Max(1, membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active));
            Record.Groups = GroupLayout.For(setup, wanted).Groups;
        }
        _layout = new GroupLayout(Record.Groups, setup.BlockCount);
        _groups = [.. Enumerable.Range(0, _layout.Groups).Select(g => GrainFactory.GetGrain<IAgentGroupGrain>(AgentGroupGrain.KeyOf(RunId, g)))];
        _host = new GrainAgents(_groups, _layout, setup, _traffic);
    }

    /// <summary>Records a complete checkpoint (agents persisted first, then this record).</summary>
    private async Task SaveRecord(int tick)
    {
        Record.Started = true;
        Record.CheckpointTick = tick;
        Record.CheckpointView = Codec.ToBytes(_view!.Write);
        Record.ProvidersAtCheckpoint = Setup.ProviderCount;
        await record.WriteStateAsync();
    }

    public Task<RunStatus> Status() =>
        Task.FromResult(new RunStatus(RunId, _nextTick, _setup?.Ticks ?? 0, _setup is not null, Record.FirstTick));

    private MarketSetup Setup => _setup ?? throw new InvalidOperationException($"run '{RunId}' has not been started");

    public async Task<TickBatch> Advance(AdvanceRequest request)
    {
        if (Incompatible() is { } incompatible) throw incompatible;
        var setup = Setup;
        TakeDriver(request.ClientId ?? "");
        if (request.From < Record.FirstTick || request.From > setup.Ticks)
            throw new ArgumentException($"run '{RunId}' has ticks {Record.FirstTick}..{setup.Ticks - 1}; tick {request.From} is not one of them");
        // Without checkpoints nothing is read back from the log but what the caller has not had yet: the ticks before
        // the one it asks from are dropped, so that a long run holds a batch of observations, not its whole series.
        if (!Persistent && request.From > _logFirst && request.From <= _nextTick)
        {
            _log.RemoveRange(0, request.From - _logFirst);
            _logFirst = request.From;
        }
        var clock = Stopwatch.StartNew();
        var observations = new List<TickObservation>();
        var tick = request.From;
        while (tick < setup.Ticks && observations.Count < request.MaxTicks)
        {
            if (_failure is { } failure && tick >= failure.Tick)
            {
                if (observations.Count > 0) break;   // the ticks before the failure first; the next call gets the failure
                throw failure;
            }
            if (tick >= _nextTick || _needsRecovery)
            {
                await Step();   // runs the next tick (or returns to the checkpoint after a lost agent)
                continue;
            }
            observations.Add(await Logged(tick++));
            if (clock.ElapsedMilliseconds >= request.MaxMilliseconds) break;
        }
        _driverSeen = Stopwatch.GetTimestamp();
        _highWater = Math.Max(_highWater, tick);
        return new TickBatch(tick, tick >= setup.Ticks, [.. observations], request.From, this.RuntimeIdentity);
    }

    /// <summary>Runs the next tick and logs its observation, checkpointing on the run's interval and at its horizon. A
    /// transport failure returns the run to its last checkpoint (the caller goes on from there); a fault of the model
    /// fails the run at once.</summary>
    private async Task Step()
    {
        if (_failure is not null) throw _failure;
        if (_needsRecovery)
        {
            await RecoverWithRetries(CancellationToken.None);
            return;
        }
        var tick = _nextTick;
        try
        {
            var observation = await RunTick(tick);
            _log.Add(observation);
            _highWater = Math.Max(_highWater, _nextTick);
            // A store that stays down fails the run below (the ticks run so far stand); an agent lost while persisting is
            // a transport failure like one lost during the tick.
            if (Persistent && (_nextTick % Record.CheckpointEvery == 0 || _nextTick == Setup.Ticks)) await Checkpoint();
        }
        catch (Exception e) when (RunFaults.IsTransient(e))
        {
            logger.LogWarning("run {Run}: tick {Tick} failed ({Error}); returning to the checkpoint of tick {Checkpoint}",
                RunId, tick, e.Message, Record.CheckpointTick);
            _needsRecovery = true;
            await RecoverWithRetries(CancellationToken.None);
        }
        catch (RunFailedException e)
        {
            _failure = e;
            logger.LogError("run {Run}: {Failure}", RunId, e.Message);
        }
        catch (Exception e)
        {
            _failure = new RunFailedException($"the coordinator of run '{RunId}' failed on tick {tick}: {e.GetType().Name}: {e.Message}", tick, "coordinator");
            logger.LogError(e, "run {Run}: tick {Tick} failed", RunId, tick);
        }
    }

    /// <summary>The observation of <paramref name="tick"/> (before <see cref="_nextTick"/>): from this activation's log,
    /// or from the persisted chunk that holds it.</summary>
    private async Task<TickObservation> Logged(int tick)
    {
        if (tick >= _logFirst) return _log[tick - _logFirst];
        var first = Record.LogChunks.LastOrDefault(c => c <= tick, -1);
        if (first < 0) throw new InvalidOperationException($"run '{RunId}' holds no observation of tick {tick}");
        if (!_loadedChunks.TryGetValue(first, out var chunk))
        {
            var state = new GrainState<ObservationChunk>(new ObservationChunk());
            await LogStore.ReadStateAsync(ChunkName(first), this.GetGrainId(), state);
            chunk = state.State;
            if (chunk is null || chunk.FirstTick != first || chunk.Observations.Count == 0)
                throw new InvalidOperationException($"run '{RunId}': the log chunk from tick {first} is missing from the checkpoint store");
            _loadedChunks[first] = chunk;
        }
        return Codec.FromBytes(chunk.Observations[tick - first], TickObservation.Read);
    }

    private Orleans.Storage.IGrainStorage LogStore =>
        ServiceProvider.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(AgentGroupGrain.StorageName);

    private static string ChunkName(int firstTick) => $"log-{firstTick}";

    private void ResetLog(int first)
    {
        _log.Clear();
        _logFirst = first;
    }

    /// <summary>Persists the observations since the last checkpoint, every agent's state, then the record (the commit).
    /// While the store fails the checkpoint is retried for <see cref="StoreWaitLimit"/>; then the run stops at its last
    /// complete checkpoint, resumable.</summary>
    private async Task Checkpoint()
    {
        var tick = _nextTick;
        var waiting = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await PersistLogChunk(tick);
                await Task.WhenAll(_groups.Select(g => g.Persist(tick)));
                await SaveRecord(tick);
                return;
            }
            // A version conflict is not the store failing: another activation of this coordinator (a duplicate while
            // the cluster's directory heals after a silo loss) committed first; the run returns to the store's record.
            catch (Exception e) when (e is not (AgentStateLostException or OrleansMessageRejectionException or RunFailedException
                                          or Orleans.Storage.InconsistentStateException))
            {
                if (waiting.Elapsed >= StoreWaitLimit)
                    throw new RunFailedException($"the checkpoint store did not take the checkpoint of tick {tick} for {StoreWaitLimit.TotalSeconds:F0} s " +
                        $"({e.GetType().Name}: {e.Message.Split('\n')[0]}); run '{RunId}' stopped at its checkpoint of tick {Record.CheckpointTick}. " +
                        $"fix: bring the store (Redis) back, then resume with --run-id {RunId}", tick, "checkpoint store");
                logger.LogWarning("run {Run}: checkpoint of tick {Tick} failed (attempt {Attempt}: {Error}); retrying", RunId, tick, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private async Task PersistLogChunk(int tick)
    {
        var first = Record.CheckpointTick;
        if (tick <= first) return;
        var chunk = new ObservationChunk { FirstTick = first, Observations = [.. _log.Skip(first - _logFirst).Take(tick - first).Select(o => Codec.ToBytes(o.Write))] };
        var state = new GrainState<ObservationChunk>(new ObservationChunk());
        await LogStore.ReadStateAsync(ChunkName(first), this.GetGrainId(), state);   // its ETag, if an earlier attempt wrote it
        state.State = chunk;
        await LogStore.WriteStateAsync(ChunkName(first), this.GetGrainId(), state);
        if (!Record.LogChunks.Contains(first)) Record.LogChunks.Add(first);
    }

    private async Task RecoverWithRetries(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Recover();
                _needsRecovery = false;
                logger.LogWarning("run {Run}: recovered at tick {Tick} (attempt {Attempt})", RunId, _nextTick, attempt);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (deadline.Elapsed >= RecoveryLimit)
                    throw new RunFailedException($"run '{RunId}' could not return to its checkpoint of tick {Record.CheckpointTick} within " +
                        $"{RecoveryLimit.TotalSeconds:F0} s ({e.GetType().Name}: {e.Message.Split('\n')[0]}). fix: check the silos and the checkpoint store, " +
                        $"then resume with --run-id {RunId}", Record.CheckpointTick, "coordinator");
                logger.LogWarning("run {Run}: recovery attempt {Attempt} failed ({Error}); retrying", RunId, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
            }
        }
    }

    /// <summary>Brings every agent back to the last complete checkpoint (or to the run's start).</summary>
    private async Task Recover()
    {
        // The store's record is the run's last commit (another activation of this coordinator may have made it).
        await record.ReadStateAsync();
        Record.Driver = _driver;   // the client driving the run now (TakeDriver keeps it; the store has the one of the last write)
        var scenarioJson = Record.ScenarioJson;
        var tick = Record.CheckpointTick;
        var setup = new MarketSetup(ScenarioJson.Deserialize(scenarioJson));
        if (Record.Origin.Length > 0 && Codec.FromBytes(Record.Origin, RunCheckpoint.Read) is { } origin && tick == origin.NextTick)
        {
            await LoadAgents(scenarioJson, origin);
            ResetLog(tick);
            return;
        }
        _setup = setup;
        BindAgents(setup);
        if (tick == 0)
        {
            await Task.WhenAll(_groups.Select((g, i) => g.Init(GroupInit(scenarioJson, i))));
            _view = MarketKernel.InitialView(setup);
        }
        else
        {
            var providersAtCheckpoint = Record.ProvidersAtCheckpoint;
            await Task.WhenAll(_groups.Select((g, i) => g.Recover(GroupInit(scenarioJson, i), tick, providersAtCheckpoint)));
            _view = Codec.FromBytes(Record.CheckpointView, MarketView.Read);
        }
        _nextTick = tick;
        ResetLog(tick);
    }

    /// <summary>Brings the run to at least the boundary before <paramref name="atTick"/> (replaying after a recovery),
    /// then computes <paramref name="read"/> from the agents, recovering and retrying when an agent was lost.</summary>
    private async Task<T> AtBoundary<T>(int atTick, Func<Task<T>> read)
    {
        var setup = Setup;
        if (atTick < Record.FirstTick || atTick > setup.Ticks)
            throw new ArgumentException($"run '{RunId}' has tick boundaries {Record.FirstTick}..{setup.Ticks}; {atTick} is not one of them");
        while (true)
        {
            while (_nextTick < atTick || _needsRecovery) await Step();
            try
            {
                return await read();
            }
            catch (Exception e) when (RunFaults.IsTransient(e))
            {
                logger.LogWarning("run {Run}: reading the state at tick {Tick} failed ({Error}); returning to the checkpoint", RunId, _nextTick, e.Message);
                _needsRecovery = true;
            }
        }
    }

    private async Task<TickObservation> RunTick(int tick)
    {
        var setup = Setup;
        var started = Stopwatch.GetTimestamp();
        var (observation, view) = await _host!.RunTickAsync(tick, _view!);
        _ticksRun++;
        _traffic.TickTime += Stopwatch.GetTimestamp() - started;
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

    public Task<TickTraffic> Traffic() =>
        Task.FromResult(new TickTraffic(_ticksRun, _traffic.Calls, _traffic.BytesSent, _traffic.BytesReceived,
            _traffic.TickTime / (double)Stopwatch.Frequency, _traffic.WaitTime / (double)Stopwatch.Frequency));

    public Task<RunFingerprint> Fingerprint(int atTick) => AtBoundary(atTick, async () =>
    {
        var (providers, blocks) = Assemble(await Task.WhenAll(_groups.Select(g => g.Digest())));
        return new RunFingerprint(_nextTick, Model.Engine.Fingerprint.Combine(_nextTick, Codec.ToBytes(_view!.Write), providers, blocks));
    });

    public async Task<int> Inject(string eventJson)
    {
        var setup = Setup;
        while (_nextTick < _highWater || _needsRecovery) await Step();
        var (e, problem) = RunInputCheck.ParseEvent(eventJson ?? "");
        if (e is null) throw Refused("the event was refused; the run is unchanged", [problem!]);
        if (_nextTick >= setup.Ticks)
            throw Refused("the event was refused; the run is unchanged", [$"{e.Kind}: the run has finished ({setup.Ticks} ticks); nothing to inject into"]);
        // Checked against the run as it stands (its scenario with the events injected so far) at the tick it would apply.
        var problems = RunInputCheck.Event(ScenarioJson.Serialize(setup.Scenario), e, _nextTick);
        if (problems.Count > 0) throw Refused("the event was refused; the run is unchanged", problems);
        var tick = _nextTick;
        setup.Inject(e, tick);
        var json = System.Text.Json.JsonSerializer.Serialize(e, ScenarioJson.Options);
        // Every group adds the event to its setup; an entrant becomes a provider of the group it is dealt to.
        await Task.WhenAll(_groups.Select(g => g.Inject(json, tick)));
        Record.ScenarioJson = ScenarioJson.Serialize(setup.Scenario);
        await record.WriteStateAsync();
        return tick;
    }

    /// <summary>The groups' per-agent answers as the run's: providers by index, blocks in order.</summary>
    private (byte[][] Providers, byte[][] Blocks) Assemble(GroupStates[] answers)
    {
        var providers = new byte[Setup.ProviderCount][];
        for (var g = 0; g < answers.Length; g++)
        {
            var indices = _layout.ProvidersOf(g, providers.Length);
            for (var i = 0; i < indices.Length; i++) providers[indices[i]] = answers[g].Providers[i];
        }
        return (providers, [.. answers.SelectMany(a => a.Blocks)]);
    }

    public Task<RunCheckpoint> ExportCheckpoint(int atTick) => AtBoundary(atTick, async () =>
    {
        if (_nextTick != atTick)
            throw new ArgumentException($"run '{RunId}' is at tick {_nextTick}, past {atTick}: read the ticks up to it before exporting");
        var (providers, blocks) = Assemble(await Task.WhenAll(_groups.Select(g => g.SaveState())));
        return new RunCheckpoint(_nextTick, ScenarioJson.Serialize(Setup.Scenario), Codec.ToBytes(_view!.Write), providers, blocks);
    });
}
