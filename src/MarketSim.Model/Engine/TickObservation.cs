using MarketSim.Model.Economics;

namespace MarketSim.Model.Engine;

/// <summary>Everything the market reports for one tick (MODEL.md, "What the market reports"). Declared in one
/// place; the CSV writers, the metrics and the client all read it.</summary>
public sealed class TickObservation : IWireMessage<TickObservation>
{
    public required int Tick { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary>Volume-weighted price paid per tier, US$ per million tokens (NaN when nothing was sold).</summary>
    public required double[] PriceIndex { get; init; }
    /// <summary>Per capability level of <see cref="MarketSetup.CapabilityLevels"/>: the lowest list price of a model
    /// of at least that quality, US$ per million tokens (NaN when none is offered).</summary>
    public required double[] CapabilityListed { get; init; }
    /// <summary>Per capability level: the lowest average price paid for a model of at least that quality that sold.</summary>
    public required double[] CapabilityBought { get; init; }
    public required ProviderReport[] Providers { get; init; }
    public required SegmentTick[] Segments { get; init; }
    /// <summary>Outcome counts (see NegotiationOutcome) then a histogram of rounds.</summary>
    public required long[] Negotiations { get; init; }
    /// <summary>Money paid by customers this tick, µ$ (customer side).</summary>
    public required long CustomersPaidMicros { get; init; }
    /// <summary>Money received by providers this tick, µ$ (provider side).</summary>
    public required long ProvidersReceivedMicros { get; init; }

    public int ActiveProviders => Providers.Count(p => p.Total.Active);
    public int Entries => Providers.Count(p => p.Total.Entered);
    public int Exits => Providers.Count(p => p.Total.Exited);
    // Summed once: every provider's share divides by them. The cache is one long (read and written whole, unlike a
    // long?, whose flag and value a metrics scrape on another thread could see half-written); two threads that race
    // compute the same sum.
    public long TokensServed => Cached(ref _tokensServed, static o => o.Providers.Sum(p => p.Total.ServedTokens));
    public long Revenue => Cached(ref _revenue, static o => o.Providers.Sum(p => p.Total.RevenueMicros));
    private long _tokensServed = NotSummed;
    private long _revenue = NotSummed;
    private const long NotSummed = long.MinValue;

    private long Cached(ref long field, Func<TickObservation, long> sum)
    {
        var value = Volatile.Read(ref field);
        if (value == NotSummed) Volatile.Write(ref field, value = sum(this));
        return value;
    }
    public long Switches => Segments.Sum(s => s.Switches);
    public long ConsumerSurplusMicros => Segments.Sum(s => s.SurplusMicros);
    /// <summary>Tokens customers wanted from their first choices this tick.</summary>
    public long TokensWanted => Segments.Sum(s => s.DemandTokens);
    /// <summary>Tokens wanted that no provider served (the first choice was full and so was the next).</summary>
    public long TokensLost => TokensWanted - Segments.Sum(s => s.ServedTokens);
    /// <summary>Share of the wanted tokens that were served (1 when nothing was wanted).</summary>
    public double ServedShare => TokensWanted == 0 ? 1 : (TokensWanted - TokensLost) / (double)TokensWanted;

    public double ShareByTokens(int provider) => TokensServed == 0 ? 0 : Providers[provider].Total.ServedTokens / (double)TokensServed;

    public double ShareByRevenue(int provider) => Revenue == 0 ? 0 : Providers[provider].Total.RevenueMicros / (double)Revenue;

    /// <summary>Herfindahl-Hirschman index of token shares, 0..10000.</summary>
    public double Hhi
    {
        get
        {
            double h = 0;
            for (var p = 0; p < Providers.Length; p++)
            {
                var s = 100 * ShareByTokens(p);
                h += s * s;
            }
            return h;
        }
    }

    public long NegotiationCount(NegotiationOutcome outcome) => Negotiations[(int)outcome];

    public void Write(BinaryWriter w)
    {
        w.Write(Tick);
        w.Write(Date.DayNumber);
        Codec.WriteArray(w, PriceIndex);
        Codec.WriteArray(w, CapabilityListed);
        Codec.WriteArray(w, CapabilityBought);
        w.Write(Providers.Length);
        foreach (var p in Providers) p.Write(w);
        Codec.WriteArray(w, Segments);
        Codec.WriteArray(w, Negotiations);
        w.Write(CustomersPaidMicros);
        w.Write(ProvidersReceivedMicros);
    }

    public static TickObservation Read(BinaryReader r)
    {
        var tick = r.ReadInt32();
        var date = DateOnly.FromDayNumber(r.ReadInt32());
        var index = Codec.ReadArray<double>(r);
        var listed = Codec.ReadArray<double>(r);
        var bought = Codec.ReadArray<double>(r);
        var providers = new ProviderReport[r.ReadInt32()];
        for (var i = 0; i < providers.Length; i++) providers[i] = ProviderReport.Read(r);
        return new TickObservation
        {
            Tick = tick, Date = date, PriceIndex = index, CapabilityListed = listed, CapabilityBought = bought, Providers = providers,
            Segments = Codec.ReadArray<SegmentTick>(r), Negotiations = Codec.ReadArray<long>(r),
            CustomersPaidMicros = r.ReadInt64(), ProvidersReceivedMicros = r.ReadInt64(),
        };
    }
}
