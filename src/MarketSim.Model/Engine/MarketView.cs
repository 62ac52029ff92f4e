namespace MarketSim.Model.Engine;

/// <summary>The market as it stood at the end of a tick: what providers see when they set the next prices.</summary>
public sealed class MarketView(int tick, bool[] active, long[] listPrices, double[] priceIndex, double[] averageQuality)
{
    public int Tick { get; } = tick;
    public bool[] Active { get; } = active;
    /// <summary>provider * Tiers.Count + tier; 0 where the provider has no model in the tier.</summary>
    public long[] ListPrices { get; } = listPrices;
    /// <summary>Volume-weighted price paid per tier, US$ per million tokens (NaN when nothing was sold).</summary>
    public double[] PriceIndex { get; } = priceIndex;
    public double[] AverageQuality { get; } = averageQuality;

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

    public void Write(BinaryWriter w)
    {
        w.Write(Tick);
        Codec.WriteArray(w, Active);
        Codec.WriteArray(w, ListPrices);
        Codec.WriteArray(w, PriceIndex);
        Codec.WriteArray(w, AverageQuality);
    }

    public static MarketView Read(BinaryReader r) =>
        new(r.ReadInt32(), Codec.ReadArray<bool>(r), Codec.ReadArray<long>(r), Codec.ReadArray<double>(r), Codec.ReadArray<double>(r));
}
