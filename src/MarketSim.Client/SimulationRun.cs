using System.Text.Json;

namespace MarketSim.Client;

/// <summary>
/// A run on a MarketSim cluster, as a script drives it: advance N ticks, pause and resume, read the latest
/// snapshot and the time series so far, subscribe to each tick, inject events at the next tick, checkpoint and
/// fork. The run's clock lives in its coordinator grain; this handle asks it to move, and is the one client that drives
/// it (another is refused while this one is active). Transport failures are retried and survived (<see cref="RunCalls"/>):
/// every tick is handed over exactly once and in order; a failure of the model throws <see cref="RunFailedException"/>.
/// </summary>
public sealed class SimulationRun : IRunHandle
{
    private readonly IRunCoordinatorGrain _coordinator;
    private readonly RunCalls _calls;
    private readonly List<TickObservation> _observations = [];
    private readonly List<Func<TickObservation, ValueTask>> _subscribers = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _paused;

    public string RunId { get; }

    /// <summary>This client's identity towards the run's coordinator.</summary>
    public string ClientId { get; }

    /// <summary>Where the run stood when this handle attached to it (after a restart: its last checkpoint).</summary>
    public int ResumedAt { get; }

    /// <summary>Longest time one advance call may run on the cluster before it returns what it has.</summary>
    public int AdvanceMilliseconds { get; init; } = 500;

    public int NextTick { get; private set; }
    public int Ticks { get; }
    public bool Finished => NextTick >= Ticks;

    /// <summary>The observations so far, in tick order (the run's time series); empty when
    /// <see cref="KeepObservations"/> is off.</summary>
    public IReadOnlyList<TickObservation> Observations => _observations;

    /// <summary>Keep every observation in <see cref="Observations"/> (a script's time series); off for a driver that
    /// hands them on to subscribers (the CLI), so that a long run holds none of them.</summary>
    public bool KeepObservations { get; set; } = true;

    /// <summary>The latest observation (a snapshot of the market), or null before the first tick.</summary>
    public TickObservation? Latest { get; private set; }

    private SimulationRun(IRunCoordinatorGrain coordinator, RunCalls calls, string runId, string clientId, RunStatus status)
    {
        _coordinator = coordinator;
        _calls = calls;
        RunId = runId;
        ClientId = clientId;
        NextTick = status.FirstTick;
        ResumedAt = status.NextTick;
        Ticks = status.Ticks;
    }

    /// <summary>Starts a run of a scenario (already validated, overrides applied), or attaches to the run with this id
    /// if the cluster holds it (started before with the same scenario): its ticks are then handed over from its first
    /// one, read from the run's log on the cluster.</summary>
    /// <exception cref="RunMismatchException">The run id exists with another scenario.</exception>
    /// <exception cref="RunBusyException">Another client drives the run.</exception>
    public static async Task<SimulationRun> StartAsync(IClusterClient cluster, Scenario scenario, string? runId = null, int checkpointEvery = 0,
        RunCalls? calls = null, CancellationToken cancellationToken = default)
    {
        runId ??= OrleansSimulation.NewRunId();
        calls ??= new RunCalls(cluster);
        var coordinator = cluster.GetGrain<IRunCoordinatorGrain>(runId);
        var clientId = NewClientId();
        var request = new StartRun(ScenarioJson.Serialize(scenario), checkpointEvery, clientId);
        var status = await calls.Call(() => coordinator.Start(request), cancellationToken);
        return new SimulationRun(coordinator, calls, runId, clientId, status);
    }

    /// <summary>Starts a new run from a checkpoint, with the checkpoint's scenario changed by
    /// <paramref name="overrides"/> (PATH=VALUE, as on the command line).</summary>
    public static async Task<SimulationRun> ForkAsync(IClusterClient cluster, RunCheckpoint checkpoint,
        IReadOnlyList<string>? overrides = null, string? runId = null, int checkpointEvery = 0, RunCalls? calls = null)
    {
        var scenario = ForkScenario(checkpoint, overrides);
        runId ??= OrleansSimulation.NewRunId();
        var coordinator = cluster.GetGrain<IRunCoordinatorGrain>(runId);
        var clientId = NewClientId();
        var status = await coordinator.StartFrom(new StartRun(ScenarioJson.Serialize(scenario), checkpointEvery, clientId), checkpoint);
        return new SimulationRun(coordinator, calls ?? new RunCalls(cluster), runId, clientId, status);
    }

    private static string NewClientId() => Guid.NewGuid().ToString("N");

    /// <summary>The scenario a fork runs: the checkpoint's, with overrides applied and validated. The state at the
    /// checkpoint (cash, fleets, contracts, what learners learned) carries on; a changed strategy or pricing of a
    /// provider becomes a strategy-change event at the fork's first tick, visible in the resolved scenario.</summary>
    public static Scenario ForkScenario(RunCheckpoint checkpoint, IReadOnlyList<string>? overrides)
    {
        var result = ScenarioFork.Create(checkpoint, overrides);
        return result.Ok ? result.Scenario! : throw new ScenarioException(result.Problems);
    }

    /// <summary>Calls <paramref name="onTick"/> after every tick from now on, in order.</summary>
    public IDisposable Subscribe(Func<TickObservation, ValueTask> onTick)
    {
        lock (_subscribers) _subscribers.Add(onTick);
        return new Unsubscriber(() => { lock (_subscribers) _subscribers.Remove(onTick); });
    }

    /// <summary>Runs <paramref name="ticks"/> more ticks (fewer at the horizon) and returns their observations.</summary>
    public async Task<IReadOnlyList<TickObservation>> AdvanceAsync(int ticks, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var added = new List<TickObservation>();
            while (added.Count < ticks && !Finished && !cancellationToken.IsCancellationRequested)
            {
                var request = new AdvanceRequest(ClientId, NextTick, ticks - added.Count, AdvanceMilliseconds);
                var batch = await _calls.Call(() => _coordinator.Advance(request), cancellationToken);
                if (batch.FirstTick != request.From)
                    throw new InvalidOperationException($"run '{RunId}' answered from tick {batch.FirstTick}, not {request.From}");
                foreach (var o in batch.Observations)
                {
                    if (o.Tick != NextTick) throw new InvalidOperationException($"run '{RunId}' handed over tick {o.Tick} where {NextTick} was due");
                    NextTick = o.Tick + 1;
                    if (KeepObservations) _observations.Add(o);
                    Latest = o;
                    added.Add(o);
                    Func<TickObservation, ValueTask>[] subscribers;
                    lock (_subscribers) subscribers = [.. _subscribers];
                    foreach (var s in subscribers) await s(o);
                }
                if (batch.Finished) NextTick = Math.Max(NextTick, batch.NextTick);
            }
            return added;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs to the horizon unless paused or cancelled; <see cref="Pause"/> stops it at the next tick
    /// boundary and <see cref="RunAsync"/> again resumes.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        _paused = false;
        while (!Finished && !_paused && !cancellationToken.IsCancellationRequested)
            await AdvanceAsync(1, cancellationToken);
    }

    public void Pause() => _paused = true;

    public bool Paused => _paused;

    /// <summary>Applies an event at the next tick (any scheduled-event kind of the model); returns that tick.</summary>
    public async Task<int> InjectAsync(EventSpec e)
    {
        await _gate.WaitAsync();
        try
        {
            var json = JsonSerializer.Serialize(e, ScenarioJson.Options);
            return await _coordinator.Inject(json);   // not repeated on a transport failure: an event must apply once
        }
        finally { _gate.Release(); }
    }

    /// <summary>The run's complete state at the current tick boundary.</summary>
    public async Task<RunCheckpoint> CheckpointAsync()
    {
        await _gate.WaitAsync();
        try
        {
            var at = NextTick;
            return await _calls.Call(() => _coordinator.ExportCheckpoint(at));
        }
        finally { _gate.Release(); }
    }

    /// <summary>The fingerprint of the run's state at the boundary this handle stands at: the state that produced the
    /// observations handed over. If the coordinator has run further (an answer was abandoned while a silo was lost),
    /// the ticks in between are handed over first, so the fingerprint and the observations always agree.</summary>
    public async Task<string> FingerprintAsync()
    {
        while (true)
        {
            var at = NextTick;
            var fingerprint = await _calls.Call(() => _coordinator.Fingerprint(at));
            if (fingerprint.Tick == NextTick) return fingerprint.Hash;
            await AdvanceAsync(fingerprint.Tick - NextTick);
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>A scenario (or overrides of one) did not validate; the problems say where and how to fix them.</summary>
public sealed class ScenarioException(IReadOnlyList<ScenarioProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<ScenarioProblem> Problems { get; } = problems;
}
