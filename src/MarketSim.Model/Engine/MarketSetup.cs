using MarketSim.Model.Economics;
using MarketSim.Model.Hardware;

namespace MarketSim.Model.Engine;

/// <summary>A GPU type as the market knows it: its spec, its price curve and the tick it becomes available.</summary>
public sealed record GpuType(int Index, GpuSpec Spec, CostCurve Curve, int AvailableFromTick);

/// <summary>
/// The scenario compiled for the engine: calendar, GPU types, providers (entrants included) and events by tick,
/// all referenced by index. Immutable except for events injected into a live run, which every agent of the run
/// adds at the same tick boundary.
/// </summary>
public sealed class MarketSetup
{
    public Scenario Scenario { get; }
    public ulong Seed => Scenario.Seed;
    public int Ticks => Scenario.Ticks;
    public int TickDays => Scenario.TickDays;
    public DateOnly Start => Scenario.Start;
    public IReadOnlyList<GpuType> Gpus => _gpus;
    public IReadOnlyList<ProviderSpec> Providers => _providers;
    /// <summary>Tick at which each provider enters (0 for incumbents).</summary>
    public IReadOnlyList<int> EntryTick => _entryTick;
    public SegmentSpec[] Segments { get; }
    /// <summary>Per segment: whether its customers choose by aggregate logit demand (<see cref="SegmentKinds.Logit"/>).</summary>
    public bool[] LogitSegment { get; }
    public int CustomerCount => Scenario.Customers.Count;
    public int BlockSize => Scenario.Engine.BlockSize;
    public int BlockCount => (CustomerCount + BlockSize - 1) / BlockSize;
    public IReadOnlyList<MarketEvent> Events => _events;
    public int ProviderCount => _providers.Count;
    /// <summary>The scenario's levers (all live when it has none).</summary>
    public Levers Levers { get; }

    private readonly List<GpuType> _gpus = [];
    private readonly List<ProviderSpec> _providers = [];
    private readonly List<int> _entryTick = [];
    private readonly List<MarketEvent> _events = [];
    private readonly List<List<ModelSpec>> _models = [];
    private readonly List<List<int>> _modelLaunch = [];

    /// <summary>Every model a provider ever serves, by index: its scenario models, then its releases in event
    /// order. A provider's state names its models by these indexes.</summary>
    public IReadOnlyList<ModelSpec> ModelsOf(int provider) => _models[provider];

    /// <summary>The fixed capability levels whose cheapest price the market reports (label, least quality).</summary>
    public (string Label, double Quality)[] CapabilityLevels { get; }

    public MarketSetup(Scenario scenario)
    {
        Scenario = scenario;
        Levers = Levers.Of(scenario.Levers);
        foreach (var spec in GpuCatalogue.BuiltIn.Where(g => scenario.Gpus.All(s => s.Id != g.Id)).Concat(scenario.Gpus))
            AddGpu(spec, Math.Max(0, TickOf(spec.Launch)));
        foreach (var p in scenario.Providers) AddProvider(p, p.Enters is { } d ? Math.Max(0, TickOf(d)) : 0);
        CapabilityLevels = scenario.Market.CapabilityLevels.Count > 0
            ? [.. scenario.Market.CapabilityLevels.Select(l => (l.Label, l.Quality))]
            : DefaultCapabilityLevels(scenario);
        Segments = [.. MarketSim.Model.Engine.Segments.Names.Select(n => scenario.Customers.Segments.GetValueOrDefault(n) ?? new SegmentSpec { Share = 0 })];
        LogitSegment = [.. Segments.Select(s => s.Kind == SegmentKinds.Logit)];
        foreach (var e in scenario.Events) AddEvent(e);
    }

    /// <summary>calvano strategy (docs/MODEL.md 9.7): the market's one segment with customers (of kind logit, checked
    /// when the scenario is loaded).</summary>
    public SegmentSpec CalvanoSegment => Segments.Single(x => x.Share > 0);

    /// <summary>calvano strategy: the market's size in tokens per tick, its customers times their daily tokens (the
    /// demand share of a model is its demand over this).</summary>
    public double CalvanoMarketTokens => CustomerCount * CalvanoSegment.DailyTokensMillions * TickDays * 1e6;

    /// <summary>calvano strategy: the market as <paramref name="provider"/> sees it at a unit cost, every provider a
    /// firm with its model of <paramref name="tier"/>.</summary>
    public Economics.CalvanoMarket CalvanoMarketOf(int provider, int tier, double unitCost, int gridSize)
    {
        var qualities = Enumerable.Range(0, ProviderCount)
            .Select(p => ModelsOf(p).First(m => Tiers.IndexOf(m.Tier) == tier).LogitQuality).ToArray();
        var segment = CalvanoSegment;
        return new Economics.CalvanoMarket(qualities, provider, unitCost, segment.OutsideUtility, segment.Mu, gridSize);
    }

    /// <summary>calvano strategy: a firm's reward of a tick in the paper's units, <c>(p / c - 1) s</c>, from its list
    /// price (µ$ per million tokens), unit cost (US$) and demand (tokens).</summary>
    public double CalvanoReward(long listPriceMicros, double unitCost, long demand) =>
        Economics.CalvanoMarket.Reward(listPriceMicros / 1e6 / unitCost, demand / CalvanoMarketTokens);

    public DateOnly DateOf(int tick) => Start.AddDays(tick * TickDays);

    public int TickOf(DateOnly date) => (int)Math.Floor((date.DayNumber - Start.DayNumber) / (double)TickDays);

    public int DaysToTicks(int days) => Math.Max(1, (int)Math.Ceiling(days / (double)TickDays));

    public int ProviderIndex(string id) => _providers.FindIndex(p => p.Id == id);

    /// <summary>The id of provider <paramref name="provider"/> (scenario providers, then entrants in event order).</summary>
    public string ProviderId(int provider) => _providers[provider].Id;

    private void AddProvider(ProviderSpec p, int entryTick)
    {
        _providers.Add(p);
        _entryTick.Add(entryTick);
        _models.Add([.. p.Models]);
        _modelLaunch.Add([.. p.Models.Select(_ => entryTick)]);
    }

    /// <summary>The tick a provider's model enters the market: the provider's entry for its scenario models, the
    /// event's tick for a release.</summary>
    public int ModelLaunchTick(int provider, int model) => _modelLaunch[provider][model];

    /// <summary>The best quality served in each tier at tick 0, labelled "tier-start": the capabilities whose price
    /// the market follows unless a scenario names its own levels.</summary>
    private static (string, double)[] DefaultCapabilityLevels(Scenario scenario)
    {
        var levels = new List<(string, double)>();
        foreach (var tier in Tiers.Names)
        {
            var best = scenario.Providers.Where(p => p.Enters is null).SelectMany(p => p.Models).Where(m => m.Tier == tier)
                .Select(m => m.Quality).DefaultIfEmpty(0).Max();
            if (best > 0 && levels.All(l => l.Item2 != best)) levels.Add((tier + "-start", best));
        }
        return [.. levels];
    }

    /// <summary>The index of a provider's model by id (the latest with that id), or -1.</summary>
    public int ModelIndex(int provider, string id) => _models[provider].FindLastIndex(m => m.Id == id);

    public int GpuIndex(string id) => _gpus.FindIndex(g => g.Spec.Id == id);

    private GpuType AddGpu(GpuSpec spec, int fromTick)
    {
        var existing = _gpus.FindIndex(g => g.Spec.Id == spec.Id);
        var type = new GpuType(existing >= 0 ? existing : _gpus.Count, spec, CostCurve.From(spec.Curve, spec.Launch), fromTick);
        if (existing >= 0) _gpus[existing] = type; else _gpus.Add(type);
        return type;
    }

    /// <summary>Resolves a scenario event and adds it to the schedule. Entrants become new providers.</summary>
    public MarketEvent AddEvent(EventSpec e)
    {
        var tick = e.Tick ?? TickOf(e.At ?? Start);
        var kind = MarketEvent.ParseKind(e.Kind);
        var duration = e.Days is { } days ? DaysToTicks(days) : int.MaxValue;
        var provider = e.Provider is null ? -1 : ProviderIndex(e.Provider);
        if (e.Provider is not null && provider < 0) throw new ArgumentException($"unknown provider '{e.Provider}'");
        var tier = -1;
        var modelIndex = -1;
        if (kind == EventKind.ModelRelease && provider >= 0)
        {
            var release = e.Release ?? throw new ArgumentException("a model-release event needs a release");
            if (Levers.TechniqueFrozen) release = WithDayZeroTechnique(provider, release);
            _models[provider].Add(release);
            _modelLaunch[provider].Add(tick);
            modelIndex = _models[provider].Count - 1;
            tier = Tiers.IndexOf(release.Tier);
        }
        else if (e.Model is not null && provider >= 0)
        {
            modelIndex = ModelIndex(provider, e.Model);
            if (modelIndex < 0) throw new ArgumentException($"provider '{e.Provider}' has no model '{e.Model}'");
            tier = Tiers.IndexOf(_models[provider][modelIndex].Tier);
        }
        var gpu = -1;
        if (kind == EventKind.GpuGeneration && e.NewGpu is not null)
            gpu = AddGpu(e.NewGpu, tick).Index;
        else if (e.Gpu is not null)
            gpu = GpuIndex(e.Gpu) is var g and >= 0 ? g : throw new ArgumentException($"unknown GPU '{e.Gpu}'");
        if (kind == EventKind.ProviderEntry)
        {
            if (e.Entrant is null) throw new ArgumentException("a provider-entry event needs an entrant");
            provider = ProviderIndex(e.Entrant.Id);
            if (provider < 0)
            {
                AddProvider(e.Entrant, tick);
                provider = _providers.Count - 1;
            }
        }
        var segment = e.Segment is null ? -1 : MarketSim.Model.Engine.Segments.IndexOf(e.Segment);
        var ev = new MarketEvent(kind, tick, provider, tier, gpu, segment,
            e.Factor ?? 1, e.Fraction ?? 0, duration, e.Strategy, e.Pricing, modelIndex);
        _events.Add(ev);
        return ev;
    }

    /// <summary>Technique frozen: a release serves with the serving figures (size, compression R, parallel layout,
    /// efficiency) of its provider's day-0 model of the same tier, so it brings no cost gain; its quality and
    /// training cost are its own. A release into a tier the provider did not serve on day 0 has no day-0 figures to
    /// keep and is left as written.</summary>
    private ModelSpec WithDayZeroTechnique(int provider, ModelSpec release)
    {
        var dayZero = _providers[provider].Models.FirstOrDefault(m => m.Tier == release.Tier);
        if (dayZero is null) return release;
        return new ModelSpec
        {
            Id = release.Id, Tier = release.Tier, Quality = release.Quality, TrainingCost = release.TrainingCost,
            AmortisationMonths = release.AmortisationMonths, ListPrice = release.ListPrice,
            ParametersB = dayZero.ParametersB, Efficiency = dayZero.Efficiency,
            Compression = new CompressionSpec { Ratio = dayZero.Compression.Ratio, QualityLossPerHalving = dayZero.Compression.QualityLossPerHalving },
            Parallelism = new ParallelismSpec { Gpus = dayZero.Parallelism.Gpus, Eta = dayZero.Parallelism.Eta },
        };
    }

    /// <summary>Adds an event to a live run at <paramref name="tick"/> (the next tick boundary); it becomes part
    /// of the scenario, so a checkpoint or a resolved scenario reproduces it.</summary>
    public MarketEvent Inject(EventSpec e, int tick)
    {
        e.Tick = tick;
        e.At = null;
        var ev = AddEvent(e);
        Scenario.Events.Add(e);
        return ev;
    }

    public IEnumerable<MarketEvent> EventsAt(int tick) => _events.Where(e => e.Tick == tick);

    /// <summary>Rental price of a GPU type per hour at a tick, after price shocks. Hardware frozen: the price of
    /// day 0 (of its first tick for a type launched later), whatever the tick.</summary>
    public double GpuPricePerHour(int gpu, int tick)
    {
        if (Levers.HardwareFrozen) tick = _gpus[gpu].AvailableFromTick;
        var price = _gpus[gpu].Curve.PricePerHour(DateOf(tick));
        foreach (var e in _events)
            if (e.Kind == EventKind.GpuPriceShock && (e.Gpu == gpu || e.Gpu < 0) && e.ActiveAt(tick))
                price *= e.Factor;
        return price;
    }

    /// <summary>Demand multiplier of a segment at a tick, after demand shocks.</summary>
    public double DemandFactor(int segment, int tick)
    {
        var f = 1.0;
        foreach (var e in _events)
            if (e.Kind == EventKind.DemandShock && (e.Segment == segment || e.Segment < 0) && e.ActiveAt(tick))
                f *= e.Factor;
        return f;
    }

    /// <summary>Demand factors of all segments at a tick.</summary>
    public double[] DemandFactors(int tick) => [.. Enumerable.Range(0, Segments.Length).Select(s => DemandFactor(s, tick))];

    /// <summary>Whether a GPU type can be bought at a tick; hardware frozen: only the types on sale on day 0.</summary>
    public bool GpuAvailable(int gpu, int tick) => _gpus[gpu].AvailableFromTick <= (Levers.HardwareFrozen ? 0 : tick);

    public double ElectricityPrice => Scenario.Market.ElectricityPricePerKwh;
}
