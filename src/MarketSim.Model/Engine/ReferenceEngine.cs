namespace MarketSim.Model.Engine;

/// <summary>
/// The sequential reference engine: every agent in one process, every phase in one loop, in the order of
/// MODEL.md. It is the oracle the distributed engine must match exactly, and the yardstick of its speed.
/// </summary>
public sealed class ReferenceEngine
{
    private readonly MarketSetup _setup;
    private ProviderAgent[] _providers;
    private readonly CustomerBlock[] _blocks;
    private MarketView _view;

    public int NextTick { get; private set; }
    public MarketSetup Setup => _setup;

    /// <summary>Applies an event at the next tick; an entrant becomes a new provider.</summary>
    public void Inject(EventSpec e)
    {
        _setup.Inject(e, NextTick);
        if (_setup.ProviderCount > _providers.Length)
            _providers = [.. _providers, .. Enumerable.Range(_providers.Length, _setup.ProviderCount - _providers.Length).Select(i => new ProviderAgent(_setup, i))];
    }

    public ReferenceEngine(MarketSetup setup)
    {
        _setup = setup;
        _providers = [.. Enumerable.Range(0, setup.ProviderCount).Select(i => new ProviderAgent(setup, i))];
        _blocks = [.. Enumerable.Range(0, setup.BlockCount).Select(i => new CustomerBlock(setup, i))];
        _view = MarketKernel.InitialView(setup);
    }

    public bool Finished => NextTick >= _setup.Ticks;

    /// <summary>Runs one tick through all phases and returns its observation.</summary>
    public TickObservation Step()
    {
        var tick = NextTick;
        // 1. Costs and list prices.
        var board = QuoteBoard.Assemble(tick, [.. _providers.Select(p => p.Plan(tick, _view))]);
        // 2. Negotiation: blocks bargain, providers decide in customer order within capacity.
        var batches = _blocks.Select(b => b.Negotiate(tick, board)).ToArray();
        var decisions = _providers.Select(p => p.DecideContracts(tick, MarketKernel.RequestsFor(p.Index, batches))).ToArray();
        var routed = MarketKernel.RouteDecisions(batches, decisions);
        // 3. Usage and settlement.
        var demand = _blocks.Select((b, i) => b.ApplyDecisionsAndMeasureDemand(tick, board, routed[i])).ToArray();
        var fills = MarketKernel.ComputeFills(board, demand);
        var usage = _blocks.Select(b => b.Consume(tick, board, fills)).ToArray();
        var byProvider = MarketKernel.UsageByProvider(_providers.Length, usage);
        // 4. Adaptation: providers book costs, raise funding or exit, learn and invest.
        var reports = _providers.Select(p => p.Settle(tick, byProvider[p.Index])).ToArray();
        // 5. Observation.
        var observation = MarketKernel.Observe(_setup, tick, reports, usage, MarketKernel.NegotiationTotals(batches, decisions));
        _view = MarketKernel.ViewOf(observation);
        NextTick = tick + 1;
        return observation;
    }

    public string Fingerprint() => Engine.Fingerprint.Combine(NextTick, Codec.ToBytes(_view.Write),
        _providers.Select(p => Engine.Fingerprint.OfState(Codec.ToBytes(p.Write))),
        _blocks.Select(b => Engine.Fingerprint.OfState(Codec.ToBytes(b.Write))));

    /// <summary>The complete state at the current tick boundary (a checkpoint).</summary>
    public RunCheckpoint Checkpoint() => new(NextTick, ScenarioJson.Serialize(_setup.Scenario), Codec.ToBytes(_view.Write),
        [.. _providers.Select(p => Codec.ToBytes(p.Write))], [.. _blocks.Select(b => Codec.ToBytes(b.Write))]);

    /// <summary>Restores a checkpoint taken of a run of the same market (same agents).</summary>
    public void Restore(RunCheckpoint checkpoint)
    {
        if (checkpoint.Providers.Length != _providers.Length || checkpoint.Blocks.Length != _blocks.Length)
            throw new InvalidDataException($"the checkpoint has {checkpoint.Providers.Length} providers and {checkpoint.Blocks.Length} customer blocks; this market has {_providers.Length} and {_blocks.Length}");
        NextTick = checkpoint.NextTick;
        _view = Codec.FromBytes(checkpoint.View, MarketView.Read);
        for (var i = 0; i < _providers.Length; i++) Codec.FromBytes(checkpoint.Providers[i], r => { _providers[i].Read(r); return 0; });
        for (var i = 0; i < _blocks.Length; i++) Codec.FromBytes(checkpoint.Blocks[i], r => { _blocks[i].Read(r); return 0; });
    }
}
