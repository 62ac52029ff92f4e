namespace MarketSim.Client.Calibration;

/// <summary>How a series is compared with its observations: on the log scale (prices, volumes: a residual of 0.1 is
/// 10 % off whatever the level) or on the level (shares, 0..1).</summary>
public enum SeriesScale { Log, Level }

/// <summary>
/// A series of a target file and how it is read from a run. The vocabulary (docs/EXPERIMENTS.md, "calibrate"):
/// <list type="bullet">
/// <item><c>price_index:TIER</c>: the tier's volume-weighted price index, US$ per million tokens (log scale);</item>
/// <item><c>capability_price:LEVEL</c>: the lowest list price of a model at least as good as the capability level
/// (the scenario's <c>market.capabilityLevels</c>), US$ per million tokens (log scale);</item>
/// <item><c>tokens_served</c>: tokens served per day, in the scenario's own customers (log scale);</item>
/// <item><c>tokens_served_growth</c>: tokens served per day relative to the series' first row in the target file,
/// on both sides, so that published volumes of any scope (one provider's tokens a month) can be matched by their
/// growth (log scale; the first row is the base and carries no information);</item>
/// <item><c>token_share:PROVIDER</c> and <c>revenue_share:PROVIDER</c>: the provider's share of tokens served or of
/// revenue, 0..1 (level scale).</item>
/// </list>
/// </summary>
public sealed record TargetSeries(string Name, string Kind, int Index, SeriesScale Scale)
{
    public const string PriceIndex = "price_index";
    public const string CapabilityPrice = "capability_price";
    public const string TokensServed = "tokens_served";
    public const string TokensServedGrowth = "tokens_served_growth";
    public const string TokenShare = "token_share";
    public const string RevenueShare = "revenue_share";

    /// <summary>The kinds, as written (with ":NAME" where the kind takes one).</summary>
    public static readonly string[] Vocabulary =
        [$"{PriceIndex}:TIER", $"{CapabilityPrice}:LEVEL", TokensServed, TokensServedGrowth, $"{TokenShare}:PROVIDER", $"{RevenueShare}:PROVIDER"];

    /// <summary>True for a series whose values are relative to its first row.</summary>
    public bool IsRelative => Kind == TokensServedGrowth;

    /// <summary>The series named <paramref name="name"/> in <paramref name="setup"/>, or the problem with the name
    /// (an unknown kind, tier, level or provider, with what the scenario has).</summary>
    public static (TargetSeries? Series, string? Problem) Parse(string name, MarketSetup setup)
    {
        var colon = name.IndexOf(':');
        var (kind, arg) = colon < 0 ? (name, null) : (name[..colon], name[(colon + 1)..]);
        switch (kind)
        {
            case TokensServed or TokensServedGrowth:
                return arg is null ? (new TargetSeries(name, kind, 0, SeriesScale.Log), null) : (null, $"series '{kind}' takes no ':{arg}'");
            case PriceIndex:
                return Pick(name, kind, arg, Tiers.Names, "tiers", SeriesScale.Log);
            case CapabilityPrice:
                return Pick(name, kind, arg, [.. setup.CapabilityLevels.Select(l => l.Label)], "capability levels of the scenario", SeriesScale.Log);
            case TokenShare or RevenueShare:
                var ids = Enumerable.Range(0, setup.ProviderCount).Select(setup.ProviderId).ToList();
                return Pick(name, kind, arg, ids, "providers of the scenario", SeriesScale.Level);
            default:
                return (null, $"unknown series '{name}' (the series: {string.Join(", ", Vocabulary)})");
        }
    }

    private static (TargetSeries?, string?) Pick(string name, string kind, string? arg, IReadOnlyList<string> names, string what, SeriesScale scale)
    {
        if (arg is null) return (null, $"series '{kind}' needs ':NAME', one of the {what}: {string.Join(", ", names)}");
        var index = names.ToList().IndexOf(arg);
        return index < 0
            ? (null, $"unknown name '{arg}' in series '{name}' (the {what}: {string.Join(", ", names)})")
            : (new TargetSeries(name, kind, index, scale), null);
    }

    /// <summary>The series' value at one tick; NaN where it is undefined (no sale in the tier, no model at the
    /// level yet, nothing served).</summary>
    public double ValueAt(TickObservation o) => Kind switch
    {
        PriceIndex => o.PriceIndex[Index],
        CapabilityPrice => o.CapabilityListed[Index],
        TokensServed or TokensServedGrowth => o.TokensServed,
        TokenShare => o.TokensServed == 0 ? double.NaN : o.ShareByTokens(Index),
        RevenueShare => o.Revenue == 0 ? double.NaN : o.ShareByRevenue(Index),
        _ => throw new InvalidOperationException($"series kind '{Kind}'"),
    };

    /// <summary>True when <paramref name="value"/> can be an observation of this series (positive for log-scale
    /// series, 0..1 for shares).</summary>
    public string? CheckObserved(double value) => Scale == SeriesScale.Log
        ? value > 0 && double.IsFinite(value) ? null : "must be a positive number (it is compared on the log scale)"
        : value is >= 0 and <= 1 ? null : "must be a share from 0 to 1";

    /// <summary>The mean of the defined values of the series over <paramref name="observations"/>' ticks
    /// <paramref name="from"/>..<paramref name="to"/> (inclusive); NaN when none is defined.</summary>
    public double MeanOver(IReadOnlyList<TickObservation> observations, int from, int to)
    {
        double sum = 0;
        var n = 0;
        for (var t = Math.Max(0, from); t <= Math.Min(to, observations.Count - 1); t++)
        {
            var v = ValueAt(observations[t]);
            if (!double.IsFinite(v) || (Scale == SeriesScale.Log && v <= 0)) continue;
            sum += v;
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }

    public override string ToString() => Name;
}
