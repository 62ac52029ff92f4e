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
    private readonly List<YearService> _years = [];
    private TickObservation? _last;

    public RunSummary(MarketSetup setup)
    {
        _setup = setup;
        CapabilityLevels = [.. setup.CapabilityLevels.Select(l => new CapabilityPrice(l.Label, l.Quality))];
        Calvano = CalvanoSummary.For(setup);
    }

    /// <summary>The measures of Calvano et al. (2020) when providers price with the calvano strategy; else null.</summary>
    public CalvanoSummary? Calvano { get; }

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
    /// <summary>Tokens customers wanted from their first choices over the run.</summary>
    public long TokensWanted { get; private set; }
    /// <summary>Tokens wanted that no provider served, over the run.</summary>
    public long TokensLost { get; private set; }
    /// <summary>Of the served tokens, those a customer's next choice served because its first choice was full.</summary>
    public long SecondChoiceTokens { get; private set; }
    /// <summary>Served / wanted tokens over the run (1 when nothing was wanted); null before the first tick.</summary>
    public double? ServedShare => TicksDone == 0 ? null : ServiceShare(TokensWanted, TokensLost);
    /// <summary>The served share of each year of the run (365 days from the start; the last may be shorter).</summary>
    public IReadOnlyList<YearService> Years => _years;
    /// <summary>The lowest served share of the run's years; null before the first tick.</summary>
    public double? MinYearServedShare => _years.Count == 0 ? null : _years.Min(y => y.ServedShare);

    /// <summary>The price of each fixed capability level (<see cref="MarketSetup.CapabilityLevels"/>) at the first and
    /// the last tick.</summary>
    public IReadOnlyList<CapabilityPrice> CapabilityLevels { get; }
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
            for (var l = 0; l < CapabilityLevels.Count; l++)
                CapabilityLevels[l].SetStart(Finite(o.CapabilityListed[l]), Finite(o.CapabilityBought[l]));
        }
        for (var t = 0; t < Tiers.Count; t++) PriceIndexEnd[t] = Finite(o.PriceIndex[t]);
        for (var l = 0; l < CapabilityLevels.Count; l++)
            CapabilityLevels[l].SetEnd(Finite(o.CapabilityListed[l]), Finite(o.CapabilityBought[l]));
        TicksDone++;
        TokensServed += o.TokensServed;
        TokensWanted += o.TokensWanted;
        TokensLost += o.TokensLost;
        foreach (var x in o.Segments) SecondChoiceTokens += x.SecondChoiceTokens;
        var year = YearOf(o.Tick, _setup.TickDays);
        if (_years.Count == 0 || _years[^1].Year != year) _years.Add(new YearService(year, o.Date));
        _years[^1].Add(o);
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
        Calvano?.Add(o);
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

    /// <summary>The year of the run a tick falls in, from 1: 365 days from the start each.</summary>
    public static int YearOf(int tick, int tickDays) => tick * tickDays / DaysPerYear + 1;

    public const int DaysPerYear = 365;

    /// <summary>Served / wanted tokens, 1 when nothing was wanted.</summary>
    public static double ServiceShare(long wanted, long lost) => wanted == 0 ? 1 : (wanted - lost) / (double)wanted;

    /// <summary>Relative change from start to end, end / start - 1; null unless both are known and start is positive.</summary>
    public static double? ChangeOf(double? start, double? end) => start is > 0 && end is { } e ? e / start.Value - 1 : null;
}

/// <summary>Wanted, served and lost tokens of one year of a run.</summary>
public sealed class YearService(int year, DateOnly from)
{
    public int Year { get; } = year;
    public DateOnly From { get; } = from;
    public DateOnly To { get; private set; } = from;
    public int Ticks { get; private set; }
    public long TokensWanted { get; private set; }
    public long TokensLost { get; private set; }
    public double ServedShare => RunSummary.ServiceShare(TokensWanted, TokensLost);

    internal void Add(TickObservation o)
    {
        To = o.Date;
        Ticks++;
        TokensWanted += o.TokensWanted;
        TokensLost += o.TokensLost;
    }
}

/// <summary>The price of one fixed capability level at the first and the last tick, US$ per million tokens: the
/// lowest list price of a model at least that good (listed) and the lowest average price paid for one that sold
/// (bought); null where there was none.</summary>
public sealed class CapabilityPrice(string label, double quality)
{
    public string Label { get; } = label;
    public double Quality { get; } = quality;
    public double? ListedStart { get; private set; }
    public double? ListedEnd { get; private set; }
    public double? BoughtStart { get; private set; }
    public double? BoughtEnd { get; private set; }

    internal void SetStart(double? listed, double? bought) => (ListedStart, BoughtStart) = (listed, bought);

    internal void SetEnd(double? listed, double? bought) => (ListedEnd, BoughtEnd) = (listed, bought);
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
