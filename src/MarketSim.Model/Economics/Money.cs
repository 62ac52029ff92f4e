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
    public static long Charge(long tokens, long priceMicrosPerMillion)
    {
        // The product almost always fits in 64 bits: then a 64-bit division gives the same quotient (both
        // truncate) at a fraction of the cost of an Int128 division.
        var high = Math.BigMul(tokens, priceMicrosPerMillion, out var low);
        return high == low >> 63 ? low / 1_000_000 : (long)((Int128)tokens * priceMicrosPerMillion / 1_000_000);
    }

    /// <summary>floor(value * numerator / denominator) without overflow.</summary>
    public static long Scale(long value, long numerator, long denominator)
    {
        if (denominator == 0) return 0;
        if (numerator == denominator) return value;   // served in full: value * n / n
        var high = Math.BigMul(value, numerator, out var low);
        return high == low >> 63 && denominator > 0 ? low / denominator : (long)((Int128)value * numerator / denominator);
    }
}
