namespace MarketSim.Model.Engine;

/// <summary>
/// The sequential reference engine: every agent in one process (<see cref="LocalAgents"/>), every tick the phases
/// of <see cref="TickProtocol"/>. It is the oracle the distributed engine must match exactly, and the yardstick of
/// its speed.
/// </summary>
public sealed class ReferenceEngine
{
    private readonly MarketSetup _setup;
    private readonly LocalAgents _agents;
    private MarketView _view;

    public int NextTick { get; private set; }
    public MarketSetup Setup => _setup;

    /// <summary>Applies an event at the next tick; an entrant becomes a new provider.</summary>
    public void Inject(EventSpec e)
    {
        _setup.Inject(e, NextTick);
        _agents.AddEntrants(_setup);
    }

    public ReferenceEngine(MarketSetup setup)
    {
        _setup = setup;
        _agents = new LocalAgents(setup);
        _view = MarketKernel.InitialView(setup);
    }

    public bool Finished => NextTick >= _setup.Ticks;

    /// <summary>Runs one tick through all phases and returns its observation.</summary>
    public TickObservation Step()
    {
        var tick = NextTick;
        var (observation, view) = TickProtocol.Run(_agents, _setup, tick, _view);
        _view = view;
        NextTick = tick + 1;
        return observation;
    }

    public string Fingerprint() => Engine.Fingerprint.Combine(NextTick, Codec.ToBytes(_view.Write),
        _agents.Providers.Select(p => Engine.Fingerprint.OfState(Codec.ToBytes(p.Write))),
        _agents.Blocks.Select(b => Engine.Fingerprint.OfState(Codec.ToBytes(b.Write))));

    /// <summary>The complete state at the current tick boundary (a checkpoint).</summary>
    public RunCheckpoint Checkpoint() => new(NextTick, ScenarioJson.Serialize(_setup.Scenario), Codec.ToBytes(_view.Write),
        [.. _agents.Providers.Select(p => Codec.ToBytes(p.Write))], [.. _agents.Blocks.Select(b => Codec.ToBytes(b.Write))]);

    /// <summary>Restores a checkpoint taken of a run of the same market (same agents).</summary>
    public void Restore(RunCheckpoint checkpoint)
    {
        if (checkpoint.Providers.Length != _agents.Providers.Length || checkpoint.Blocks.Length != _agents.Blocks.Length)
            throw new InvalidDataException($"the checkpoint has {checkpoint.Providers.Length} providers and {checkpoint.Blocks.Length} customer blocks; this market has {_agents.Providers.Length} and {_agents.Blocks.Length}");
        NextTick = checkpoint.NextTick;
        _view = Codec.FromBytes(checkpoint.View, MarketView.Read);
        for (var i = 0; i < _agents.Providers.Length; i++) Codec.FromBytes(checkpoint.Providers[i], r => { _agents.Providers[i].Read(r); return 0; });
        for (var i = 0; i < _agents.Blocks.Length; i++) Codec.FromBytes(checkpoint.Blocks[i], r => { _agents.Blocks[i].Read(r); return 0; });
    }
}
