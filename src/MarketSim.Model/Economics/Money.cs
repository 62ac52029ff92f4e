namespace MarketSim.Model.Economics;

/// <summary>Money is held in integer micro-dollars (µ$) so that conservation is exact; prices are µ$ per
/// million tokens. Every helper is checked: an amount that does not fit in a <c>long</c> of micro-dollars (about
/// ±9.2 trillion US$) throws <see cref="MoneyOverflowException"/> instead of wrapping, so a run never continues
/// past an overflow. The scenario schema bounds money and fleets so that a valid scenario stays far below this.</summary>
public static class Money
{
    public const long MicrosPerDollar = 1_000_000;

    /// <summary>The largest amount in US$ that <see cref="FromDollars"/> accepts (long.MaxValue micro-dollars,
    /// rounded down to a double that converts exactly).</summary>
    public const double MaxDollars = 9_223_372_036_854.0;

    /// <summary>Below 2^53 micro-dollars (about US$ 9 billion) a double holds every whole number of micro-dollars.</summary>
    private const double ExactInDouble = 9_007_199_254_740_992.0;

    /// <summary>US$ to micro-dollars, rounded half away from zero. Up to about US$ 9 billion the double product
    /// is exact; above, the amount goes through <see cref="decimal"/> (the double's shortest 15-digit form), so
    /// that an amount written with up to 15 significant digits, such as 999999999999.99, converts to exactly its
    /// micro-dollars.</summary>
    /// <exception cref="MoneyOverflowException">The amount is not finite or beyond ±<see cref="MaxDollars"/>.</exception>
    public static long FromDollars(double dollars)
    {
        var micros = Math.Round(dollars * MicrosPerDollar, MidpointRounding.AwayFromZero);
        if (Math.Abs(micros) < ExactInDouble) return (long)micros;
        // 2^63 is the first double above long.MaxValue; -2^63 is long.MinValue itself.
        if (!double.IsFinite(micros) || micros >= 9_223_372_036_854_775_808.0 || micros < -9_223_372_036_854_775_808.0)
            throw new MoneyOverflowException($"US$ {dollars:G6} does not fit in micro-dollars (at most ±US$ {MaxDollars:G6})");
        var exact = Math.Round((decimal)dollars * MicrosPerDollar, MidpointRounding.AwayFromZero);
        return exact is >= long.MinValue and <= long.MaxValue ? (long)exact
            : throw new MoneyOverflowException($"US$ {dollars:G6} does not fit in micro-dollars (at most ±US$ {MaxDollars:G6})");
    }

    public static double ToDollars(long micros) => micros / (double)MicrosPerDollar;

    /// <summary>What <paramref name="tokens"/> cost at <paramref name="priceMicrosPerMillion"/>, rounded down
    /// to the micro-dollar (exact integer arithmetic).</summary>
    /// <exception cref="MoneyOverflowException">The charge does not fit in micro-dollars.</exception>
    public static long Charge(long tokens, long priceMicrosPerMillion)
    {
        // The product almost always fits in 64 bits: then a 64-bit division gives the same quotient (both
        // truncate) at a fraction of the cost of an Int128 division.
        var high = Math.BigMul(tokens, priceMicrosPerMillion, out var low);
        return high == low >> 63 ? low / 1_000_000
            : Narrow((Int128)tokens * priceMicrosPerMillion / 1_000_000, "charge", tokens, priceMicrosPerMillion, 1_000_000);
    }

    /// <summary>floor(value * numerator / denominator) without overflow of the product.</summary>
    /// <exception cref="MoneyOverflowException">The result does not fit in a long.</exception>
    public static long Scale(long value, long numerator, long denominator)
    {
        if (denominator == 0) return 0;
        if (numerator == denominator) return value;   // served in full: value * n / n
        var high = Math.BigMul(value, numerator, out var low);
        return high == low >> 63 && denominator > 0 ? low / denominator
            : Narrow((Int128)value * numerator / denominator, "scale", value, numerator, denominator);
    }

    /// <summary>a + b in micro-dollars.</summary>
    /// <exception cref="MoneyOverflowException">The sum does not fit.</exception>
    public static long Add(long a, long b)
    {
        try { return checked(a + b); }
        catch (OverflowException) { throw new MoneyOverflowException($"{a} µ$ + {b} µ$"); }
    }

    /// <summary>The sum of amounts in micro-dollars.</summary>
    /// <exception cref="MoneyOverflowException">A partial sum does not fit.</exception>
    public static long Sum(IEnumerable<long> amounts)
    {
        long total = 0;
        foreach (var a in amounts) total = Add(total, a);
        return total;
    }

    /// <summary>The quotient as a long; the operation and its operands (a × b / c) name it when it does not fit
    /// (no message is built on the hot path).</summary>
    private static long Narrow(Int128 value, string operation, long a, long b, long c) =>
        value >= long.MinValue && value <= long.MaxValue ? (long)value
            : throw new MoneyOverflowException($"{operation} {a} × {b} / {c} = {value} does not fit in micro-dollars");
}

/// <summary>An amount of money beyond what the model's integer micro-dollars hold (about ±9.2 trillion US$): the
/// run stops here rather than continuing with a wrapped amount. The scenario schema's maxima keep valid scenarios
/// far from it; reaching it means a scenario outside them (a checkpoint edited by hand, an engine change).</summary>
public sealed class MoneyOverflowException(string detail)
    : OverflowException($"money overflow: {detail}; the run was stopped rather than continue with a wrong amount " +
                        "(fix: keep cash, funding, fleets and prices within the scenario schema's maxima)");
