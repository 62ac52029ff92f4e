namespace MarketSim.Model.Economics;

/// <summary>Money is held in integer micro-dollars (µ$) so that conservation is exact; prices are µ$ per
/// million tokens.</summary>
public static class Money
{
    public const long MicrosPerDollar = 1_000_000;

    public static long FromDollars(double dollars) => (long)Math.Round(dollars * MicrosPerDollar, MidpointRounding.AwayFromZero);

    public static double ToDollars(long micros) => micros / (double)MicrosPerDollar;

    /// <summary>What <paramref name="tokens"/> cost at <paramref name="priceMicrosPerMillion"/>, rounded down
    /// to the micro-dollar (exact integer arithmetic).</summary>
    public static long Charge(long tokens, long priceMicrosPerMillion) =>
        (long)((Int128)tokens * priceMicrosPerMillion / 1_000_000);

    /// <summary>floor(value * numerator / denominator) without overflow.</summary>
    public static long Scale(long value, long numerator, long denominator) =>
        denominator == 0 ? 0 : (long)((Int128)value * numerator / denominator);
}
