using System.Text.Json;

namespace MarketSim.Client;

/// <summary>
/// A run on a MarketSim cluster, as a script drives it: advance N ticks, pause and resume, read the latest
/// snapshot and the time series so far, subscribe to each tick, inject events at the next tick, checkpoint and
/// fork. The run's clock lives in its coordinator grain; this handle asks it to move.
/// </summary>
public sealed class SimulationRun
{
    private readonly IRunCoordinatorGrain _coordinator;
    private readonly List<TickObservation> _observations = [];
    private readonly List<Func<TickObservation, ValueTask>> _subscribers = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _paused;

    public string RunId { get; }
    public int NextTick { get; private set; }
    public int Ticks { get; }
    public bool Finished => NextTick >= Ticks;

    /// <summary>The observations so far, in tick order (the run's time series).</summary>
    public IReadOnlyList<TickObservation> Observations => _observations;

    /// <summary>The latest observation (a snapshot of the market), or null before the first tick.</summary>
    public TickObservation? Latest => _observations.Count == 0 ? null : _observations[^1];

    private SimulationRun(IRunCoordinatorGrain coordinator, string runId, RunStatus status)
    {
        _coordinator = coordinator;
        RunId = runId;
        NextTick = status.NextTick;
        Ticks = status.Ticks;
    }

    /// <summary>Starts a run of a scenario (already validated, overrides applied).</summary>
    public static async Task<SimulationRun> StartAsync(IClusterClient cluster, Scenario scenario, string? runId = null, int checkpointEvery = 0)
    {
        runId ??= OrleansSimulation.NewRunId();
        var coordinator = cluster.GetGrain<IRunCoordinatorGrain>(runId);
        var status = await coordinator.Start(new StartRun(ScenarioJson.Serialize(scenario), checkpointEvery));
        return new SimulationRun(coordinator, runId, status);
    }

    /// <summary>Starts a new run from a checkpoint, with the checkpoint's scenario changed by
    /// <paramref name="overrides"/> (PATH=VALUE, as on the command line).</summary>
    public static async Task<SimulationRun> ForkAsync(IClusterClient cluster, RunCheckpoint checkpoint,
        IReadOnlyList<string>? overrides = null, string? runId = null, int checkpointEvery = 0)
    {
        var scenario = ForkScenario(checkpoint, overrides);
        runId ??= OrleansSimulation.NewRunId();
        var coordinator = cluster.GetGrain<IRunCoordinatorGrain>(runId);
        var status = await coordinator.StartFrom(new StartRun(ScenarioJson.Serialize(scenario), checkpointEvery), Codec.ToBytes(checkpoint.Write));
        return new SimulationRun(coordinator, runId, status);
    }

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
                var batch = await _coordinator.Advance(ticks - added.Count, 500);
                foreach (var bytes in batch.Observations)
                {
                    var o = Codec.FromBytes(bytes, TickObservation.Read);
                    if (o.Tick < NextTick) continue;
                    NextTick = o.Tick + 1;
                    _observations.Add(o);
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
        try { return await _coordinator.Inject(JsonSerializer.Serialize(e, ScenarioJson.Options)); }
        finally { _gate.Release(); }
    }

    /// <summary>The run's complete state at the current tick boundary.</summary>
    public async Task<RunCheckpoint> CheckpointAsync()
    {
        await _gate.WaitAsync();
        try { return Codec.FromBytes(await _coordinator.ExportCheckpoint(), RunCheckpoint.Read); }
        finally { _gate.Release(); }
    }

    public Task<string> FingerprintAsync() => _coordinator.Fingerprint();

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
