using MarketSim.Model.Economics;
using MarketSim.Model.Engine;

namespace MarketSim.Cli.Output;

/// <summary>
/// The figures of a run, accumulated from its tick observations and nothing else: price index per tier at the first
/// and last tick, per provider its final shares, cumulative revenue, cost and profit, final cash, entry and exit
/// ticks, and market totals. <c>run</c> prints and writes it; <c>sweep</c> and <c>compare</c> reuse it.
/// </summary>
public sealed class RunSummary
{
    private readonly MarketSetup _setup;
    private readonly List<ProviderTotals> _providers = [];
    private readonly long[] _negotiations = new long[NegotiationStats.Outcomes];
    private readonly long[] _rounds = new long[NegotiationStats.MaxRounds];
    private TickObservation? _last;

    public RunSummary(MarketSetup setup) => _setup = setup;

    public int TicksDone { get; private set; }
    public DateOnly? FirstDate { get; private set; }
    public DateOnly? LastDate => _last?.Date;
    public int? LastTick => _last?.Tick;

    /// <summary>Price index of each tier (order of <see cref="Tiers.Names"/>) at the first tick, US$ per million
    /// tokens; null where nothing of that tier was sold.</summary>
    public double?[] PriceIndexStart { get; } = new double?[Tiers.Count];

    /// <summary>Price index of each tier at the last tick done; null where nothing was sold.</summary>
    public double?[] PriceIndexEnd { get; } = new double?[Tiers.Count];

    public double? HhiStart { get; private set; }
    public double? HhiEnd => _last?.Hhi;

    public long TokensServed { get; private set; }
    /// <summary>What customers paid over the run, µ$.</summary>
    public long SpendMicros { get; private set; }
    /// <summary>What providers received over the run, µ$ (equals <see cref="SpendMicros"/> when money is conserved).</summary>
    public long RevenueMicros { get; private set; }
    public long ConsumerSurplusMicros { get; private set; }
    public long Switches { get; private set; }
    public int Entries { get; private set; }
    public int Exits { get; private set; }
    public int ActiveProvidersEnd => _last?.ActiveProviders ?? 0;

    public long NegotiationCount(NegotiationOutcome outcome) => _negotiations[(int)outcome];
    public long NegotiationTotal => _negotiations.Sum();

    /// <summary>Mean rounds per negotiation over the run; null when there was none.</summary>
    public double? MeanRounds => MeanOf(_rounds);

    public IReadOnlyList<ProviderTotals> Providers => _providers;

    public void Add(TickObservation o)
    {
        if (_last is null)
        {
            FirstDate = o.Date;
            for (var t = 0; t < Tiers.Count; t++) PriceIndexStart[t] = Finite(o.PriceIndex[t]);
            HhiStart = o.Hhi;
        }
        for (var t = 0; t < Tiers.Count; t++) PriceIndexEnd[t] = Finite(o.PriceIndex[t]);
        TicksDone++;
        TokensServed += o.TokensServed;
        SpendMicros += o.CustomersPaidMicros;
        RevenueMicros += o.Revenue;
        ConsumerSurplusMicros += o.ConsumerSurplusMicros;
        Switches += o.Switches;
        Entries += o.Entries;
        Exits += o.Exits;
        for (var i = 0; i < NegotiationStats.Outcomes; i++) _negotiations[i] += o.Negotiations[i];
        for (var k = 0; k < NegotiationStats.MaxRounds; k++) _rounds[k] += o.Negotiations[NegotiationStats.Outcomes + k];

        // Providers entering through live events make the array grow; indexes are stable.
        while (_providers.Count < o.Providers.Length)
        {
            var i = _providers.Count;
            var spec = i < _setup.Providers.Count ? _setup.Providers[i] : null;
            _providers.Add(new ProviderTotals(i, spec?.Id ?? $"provider-{i}", spec?.Name));
        }
        for (var p = 0; p < o.Providers.Length; p++) _providers[p].Add(o, p);
        _last = o;
    }

    /// <summary>Mean rounds of a tick's negotiations, from its round histogram; null when there was none.</summary>
    public static double? MeanRoundsOf(TickObservation o) => MeanOf(o.Negotiations.AsSpan(NegotiationStats.Outcomes, NegotiationStats.MaxRounds));

    private static double? MeanOf(ReadOnlySpan<long> histogram)
    {
        long n = 0, sum = 0;
        for (var k = 0; k < histogram.Length; k++)
        {
            n += histogram[k];
            sum += (k + 1) * histogram[k];
        }
        return n == 0 ? null : sum / (double)n;
    }

    internal static double? Finite(double x) => double.IsFinite(x) ? x : null;
}

/// <summary>One provider's figures over a run.</summary>
public sealed class ProviderTotals(int index, string id, string? name)
{
    public int Index { get; } = index;
    public string Id { get; } = id;
    public string? Name { get; } = name;
    /// <summary>Share of the market's tokens at the last tick, 0..1.</summary>
    public double TokenShare { get; private set; }
    /// <summary>Share of the market's revenue at the last tick, 0..1.</summary>
    public double RevenueShare { get; private set; }
    public long TokensServed { get; private set; }
    public long RevenueMicros { get; private set; }
    public long CostMicros { get; private set; }
    public long ProfitMicros { get; private set; }
    /// <summary>Cash at the last tick, µ$.</summary>
    public long CashMicros { get; private set; }
    public int FundingRounds { get; private set; }
    public bool ActiveAtEnd { get; private set; }
    /// <summary>First tick the provider was active (null if it never was).</summary>
    public int? FirstActiveTick { get; private set; }
    public int? ExitedTick { get; private set; }

    internal void Add(TickObservation o, int p)
    {
        var t = o.Providers[p].Total;
        TokenShare = o.ShareByTokens(p);
        RevenueShare = o.ShareByRevenue(p);
        TokensServed += t.ServedTokens;
        RevenueMicros += t.RevenueMicros;
        CostMicros += t.CostMicros;
        ProfitMicros += t.ProfitMicros;
        CashMicros = t.CashMicros;
        FundingRounds += t.FundingRoundsRaised;
        ActiveAtEnd = t.Active;
        if (t.Active && FirstActiveTick is null) FirstActiveTick = o.Tick;
        if (t.Exited && ExitedTick is null) ExitedTick = o.Tick;
    }
}
