namespace MarketSim.Model.Engine;

/// <summary>
/// One run, as a caller drives it, whatever the engine: advance N ticks (each observation to the subscribers, once
/// and in order), inject an event at the next tick, take a checkpoint of the state at the current tick boundary,
/// and the fingerprint of that state. The reference engine implements it in this process (<see cref="ReferenceRun"/>),
/// the Orleans engine through the run's coordinator grain (<c>MarketSim.Client.SimulationRun</c>). A run is started
/// (or forked from a checkpoint) by <see cref="ISimulationEngine.StartAsync"/>.
/// </summary>
public interface IRunHandle
{
    /// <summary>The run's id on its engine ("" for a run in this process).</summary>
    string RunId { get; }

    /// <summary>The first tick not yet handed over.</summary>
    int NextTick { get; }

    int Ticks { get; }

    bool Finished { get; }

    /// <summary>Calls <paramref name="onTick"/> after every tick from now on, in order.</summary>
    IDisposable Subscribe(Func<TickObservation, ValueTask> onTick);

    /// <summary>Runs <paramref name="ticks"/> more ticks (fewer at the horizon) and returns their observations.</summary>
    Task<IReadOnlyList<TickObservation>> AdvanceAsync(int ticks, CancellationToken cancellationToken = default);

    /// <summary>Applies an event at the next tick; returns that tick.</summary>
    Task<int> InjectAsync(EventSpec e);

    /// <summary>The run's complete state at the current tick boundary.</summary>
    Task<RunCheckpoint> CheckpointAsync();

    /// <summary>The fingerprint of the state at the current tick boundary (the state that produced the observations
    /// handed over).</summary>
    Task<string> FingerprintAsync();
}

/// <summary>A run of the reference engine in this process, behind <see cref="IRunHandle"/>.</summary>
public sealed class ReferenceRun : IRunHandle
{
    private readonly ReferenceEngine _engine;
    private readonly List<Func<TickObservation, ValueTask>> _subscribers = [];

    /// <summary>A run of <paramref name="setup"/> from its start, or from <paramref name="from"/> (a fork).</summary>
    public ReferenceRun(MarketSetup setup, RunCheckpoint? from = null)
    {
        _engine = new ReferenceEngine(setup);
        if (from is not null) _engine.Restore(from);
    }

    public string RunId => "";
    public int NextTick => _engine.NextTick;
    public int Ticks => _engine.Setup.Ticks;
    public bool Finished => _engine.Finished;

    public IDisposable Subscribe(Func<TickObservation, ValueTask> onTick)
    {
        _subscribers.Add(onTick);
        return new Subscription(() => _subscribers.Remove(onTick));
    }

    public async Task<IReadOnlyList<TickObservation>> AdvanceAsync(int ticks, CancellationToken cancellationToken = default)
    {
        var added = new List<TickObservation>();
        while (added.Count < ticks && !_engine.Finished && !cancellationToken.IsCancellationRequested)
        {
            var observation = _engine.Step();
            added.Add(observation);
            foreach (var subscriber in _subscribers.ToArray()) await subscriber(observation);
        }
        return added;
    }

    public Task<int> InjectAsync(EventSpec e)
    {
        _engine.Inject(e);
        return Task.FromResult(_engine.NextTick);
    }

    public Task<RunCheckpoint> CheckpointAsync() => Task.FromResult(_engine.Checkpoint());

    public Task<string> FingerprintAsync() => Task.FromResult(_engine.Fingerprint());

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
