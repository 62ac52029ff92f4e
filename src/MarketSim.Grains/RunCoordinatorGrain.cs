using System.Diagnostics;
using MarketSim.Grains.Telemetry;

namespace MarketSim.Grains;

/// <summary>
/// The kernel of a run: owns the simulated clock and drives the phases of each tick across the provider and
/// customer-block grains, routing their batched messages with <see cref="MarketKernel"/>, exactly as the
/// reference engine does in one loop.
/// </summary>
public sealed class RunCoordinatorGrain(EngineMetrics engineMetrics, MarketMetrics marketMetrics, SegmentMetrics segmentMetrics,
    NegotiationMetrics negotiationMetrics) : Grain, IRunCoordinatorGrain
{
    private string? _scenarioJson;
    private MarketSetup? _setup;
    private MarketView? _view;
    private int _nextTick;
    private IProviderGrain[] _providers = [];
    private ICustomerBlockGrain[] _blocks = [];
    private string[] _providerIds = [];

    private string RunId => this.GetPrimaryKeyString();

    public async Task<RunStatus> Start(string scenarioJson)
    {
        if (_scenarioJson is not null)
        {
            if (_scenarioJson != scenarioJson) throw new InvalidOperationException($"run '{RunId}' is already running another scenario");
            return await Status();
        }
        var setup = new MarketSetup(ScenarioJson.Deserialize(scenarioJson));
        _providers = [.. Enumerable.Range(0, setup.ProviderCount).Select(i => GrainFactory.GetGrain<IProviderGrain>(AgentKeys.Of(RunId, i)))];
        _blocks = [.. Enumerable.Range(0, setup.BlockCount).Select(i => GrainFactory.GetGrain<ICustomerBlockGrain>(AgentKeys.Of(RunId, i)))];
        await Task.WhenAll(
            _providers.Select((p, i) => p.Init(new AgentInit(RunId, scenarioJson, i)))
                .Concat(_blocks.Select((b, i) => b.Init(new AgentInit(RunId, scenarioJson, i)))));
        _setup = setup;
        _providerIds = [.. setup.Providers.Select(p => p.Id)];
        _view = MarketKernel.InitialView(setup);
        _nextTick = 0;
        _scenarioJson = scenarioJson;
        return await Status();
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
            var observation = await RunTick(_nextTick);
            observations.Add(Codec.ToBytes(observation.Write));
            if (clock.ElapsedMilliseconds >= maxMilliseconds) break;
        }
        return new TickBatch(_nextTick, _nextTick >= setup.Ticks, [.. observations]);
    }

    private async Task<TickObservation> RunTick(int tick)
    {
        var setup = Setup;
        var started = Stopwatch.GetTimestamp();
        // 1. Costs and list prices.
        var view = Codec.ToBytes(_view!.Write);
        var plans = await Task.WhenAll(_providers.Select(p => p.Plan(tick, view)));
        var board = QuoteBoard.Assemble(tick, [.. plans.Select(b => Codec.FromBytes(b, ProviderPlan.Read))]);
        var boardBytes = Codec.ToBytes(board.Write);
        // 2. Negotiation.
        var batches = (await Task.WhenAll(_blocks.Select(b => b.Negotiate(tick, boardBytes))))
            .Select(b => Codec.FromBytes(b, NegotiationBatch.Read)).ToArray();
        var decisions = await Task.WhenAll(_providers.Select((p, i) =>
            p.Decide(tick, Codec.ToBytes(w => Codec.WriteArray(w, MarketKernel.RequestsFor(i, batches))))));
        var routed = MarketKernel.RouteDecisions(batches, decisions);
        // 3. Usage and settlement.
        var demand = (await Task.WhenAll(_blocks.Select((b, i) => b.Demand(tick, routed[i]))))
            .Select(d => Codec.FromBytes(d, DemandReport.Read)).ToArray();
        var fills = Codec.ToBytes(MarketKernel.ComputeFills(board, demand).Write);
        var usage = (await Task.WhenAll(_blocks.Select(b => b.Consume(tick, fills))))
            .Select(u => Codec.FromBytes(u, UsageReport.Read)).ToArray();
        var byProvider = MarketKernel.UsageByProvider(_providers.Length, usage);
        // 4. Adaptation.
        var reports = (await Task.WhenAll(_providers.Select((p, i) => p.Settle(tick, Codec.ToBytes(byProvider[i].Write)))))
            .Select(r => Codec.FromBytes(r, ProviderReport.Read)).ToArray();
        // 5. Observation.
        var observation = MarketKernel.Observe(setup, tick, reports, usage, MarketKernel.NegotiationTotals(batches, decisions));
        _view = MarketKernel.ViewOf(observation);
        _nextTick = tick + 1;
        Record(observation, Stopwatch.GetElapsedTime(started));
        return observation;
    }

    private void Record(TickObservation observation, TimeSpan duration)
    {
        marketMetrics.Record(RunId, _providerIds, observation);
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
}
