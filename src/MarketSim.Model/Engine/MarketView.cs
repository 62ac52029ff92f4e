namespace MarketSim.Model.Engine;

/// <summary>The market as it stood at the end of a tick: what providers see when they set the next prices. Arrays
/// per slot are indexed provider * Tiers.Count + tier.</summary>
public sealed class MarketView(int tick, bool[] active, long[] listPrices, double[] priceIndex, double[] quality,
    long[] servedTokens, long[] revenueMicros) : IWireMessage<MarketView>
{
    public int Tick { get; } = tick;
    public bool[] Active { get; } = active;
    /// <summary>List price per slot; 0 where the provider has no model in the tier.</summary>
    public long[] ListPrices { get; } = listPrices;
    /// <summary>Volume-weighted price paid per tier, US$ per million tokens (NaN when nothing was sold).</summary>
    public double[] PriceIndex { get; } = priceIndex;
    /// <summary>Quality of each offered model per slot (0 where none).</summary>
    public double[] Quality { get; } = quality;
    public long[] ServedTokens { get; } = servedTokens;
    public long[] RevenueMicros { get; } = revenueMicros;

    /// <summary>Lowest list price in a tier among active providers other than <paramref name="self"/>, US$ per
    /// million tokens; NaN if there is none.</summary>
    public double LowestRivalPrice(int self, int tier)
    {
        var best = long.MaxValue;
        for (var p = 0; p < Active.Length; p++)
        {
            if (p == self || !Active[p]) continue;
            var price = ListPrices[p * Tiers.Count + tier];
            if (price > 0 && price < best) best = price;
        }
        return best == long.MaxValue ? double.NaN : best / 1e6;
    }

    /// <summary>The tier's volume-weighted price paid to the providers other than <paramref name="self"/>, US$ per
    /// million tokens (NaN when they sold nothing): the comparable alternative a value-based price refers to, free
    /// of the provider's own volume (MODEL.md 9.5).</summary>
    public double RivalPriceIndex(int self, int tier)
    {
        long tokens = 0, money = 0;
        for (var p = 0; p < Active.Length; p++)
        {
            if (p == self) continue;
            tokens += ServedTokens[p * Tiers.Count + tier];
            money += RevenueMicros[p * Tiers.Count + tier];
        }
        return tokens == 0 ? double.NaN : money / (double)tokens;
    }

    /// <summary>Mean quality of the tier's models offered by active providers other than <paramref name="self"/>
    /// (0 when there are none).</summary>
    public double RivalAverageQuality(int self, int tier)
    {
        double sum = 0;
        var n = 0;
        for (var p = 0; p < Active.Length; p++)
        {
            var q = Quality[p * Tiers.Count + tier];
            if (p == self || !Active[p] || q <= 0) continue;
            sum += q;
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(Tick);
        Codec.WriteArray(w, Active);
        Codec.WriteArray(w, ListPrices);
        Codec.WriteArray(w, PriceIndex);
        Codec.WriteArray(w, Quality);
        Codec.WriteArray(w, ServedTokens);
        Codec.WriteArray(w, RevenueMicros);
    }

    public static MarketView Read(BinaryReader r) =>
        new(r.ReadInt32(), Codec.ReadArray<bool>(r), Codec.ReadArray<long>(r), Codec.ReadArray<double>(r), Codec.ReadArray<double>(r),
            Codec.ReadArray<long>(r), Codec.ReadArray<long>(r));
}
