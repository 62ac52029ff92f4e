namespace MarketSim.Model.Economics;

/// <summary>What a provider knows when it sets a list price for one of its models (US$ per million tokens).</summary>
public readonly record struct PricingInput(
    double UnitCost,
    double Quality,
    double LowestRivalPrice,
    double TierPriceIndex,
    double TierAverageQuality,
    int DaysSinceStrategyStart);

/// <summary>The rule-based pricing strategies of MODEL.md, one pure function each. The adaptive learner is
/// <see cref="QLearner"/>.</summary>
public static class PricingStrategies
{
    public const string CostPlus = "cost-plus";
    public const string Match = "match";
    public const string Undercut = "undercut";
    public const string Penetration = "penetration";
    public const string ValueBased = "value-based";
    public const string Adaptive = "adaptive";
    /// <summary>The Q-learner of Calvano et al. (2020) on a logit market (<see cref="CalvanoQLearner"/>, <see cref="CalvanoMarket"/>).</summary>
    public const string Calvano = "calvano";

    public static readonly string[] All = [CostPlus, Match, Undercut, Penetration, ValueBased, Adaptive, Calvano];

    /// <summary>cost-plus: <c>p = c * markup</c>.</summary>
    public static double CostPlusPrice(double unitCost, double markup) => unitCost * markup;

    /// <summary>match: the lowest comparable rival price, not below <c>c * floorMargin</c>.</summary>
    public static double MatchPrice(double unitCost, double lowestRival, double floorMargin, double markup) =>
        double.IsNaN(lowestRival) ? CostPlusPrice(unitCost, markup) : Math.Max(unitCost * floorMargin, lowestRival);

    /// <summary>undercut: beat the lowest comparable price by a fraction, not below <c>c * floorMargin</c>.</summary>
    public static double UndercutPrice(double unitCost, double lowestRival, double undercut, double floorMargin, double markup) =>
        double.IsNaN(lowestRival) ? CostPlusPrice(unitCost, markup) : Math.Max(unitCost * floorMargin, lowestRival * (1 - undercut));

    /// <summary>penetration: <c>c * factor</c> (below cost, paid from cash) for a period, then cost-plus.</summary>
    public static double PenetrationPrice(double unitCost, int daysSinceStart, int penetrationDays, double factor, double markup) =>
        daysSinceStart < penetrationDays ? unitCost * factor : CostPlusPrice(unitCost, markup);

    /// <summary>value-based: the tier's price index scaled by the quality advantage,
    /// <c>p = index * (q / q_avg)^premium</c>, not below unit cost.</summary>
    public static double ValueBasedPrice(double unitCost, double tierIndex, double quality, double averageQuality, double premium, double markup)
    {
        if (double.IsNaN(tierIndex) || tierIndex <= 0 || averageQuality <= 0) return CostPlusPrice(unitCost, markup);
        return Math.Max(unitCost, tierIndex * Math.Pow(quality / averageQuality, premium));
    }

    /// <summary>Price of a rule-based strategy (not adaptive).</summary>
    public static double RulePrice(string strategy, PricingSpec p, in PricingInput x) => strategy switch
    {
        CostPlus => CostPlusPrice(x.UnitCost, p.Markup),
        Match => MatchPrice(x.UnitCost, x.LowestRivalPrice, p.FloorMargin, p.Markup),
        Undercut => UndercutPrice(x.UnitCost, x.LowestRivalPrice, p.Undercut, p.FloorMargin, p.Markup),
        Penetration => PenetrationPrice(x.UnitCost, x.DaysSinceStrategyStart, p.PenetrationDays, p.PenetrationFactor, p.Markup),
        ValueBased => ValueBasedPrice(x.UnitCost, x.TierPriceIndex, x.Quality, x.TierAverageQuality, p.ValuePremium, p.Markup),
        _ => CostPlusPrice(x.UnitCost, p.Markup),
    };

    /// <summary>Reservation price in negotiation: unit cost times the minimum margin, lower while a penetration
    /// strategy subsidises.</summary>
    public static double ReservationPrice(string strategy, PricingSpec p, double unitCost, double minMargin, int daysSinceStart) =>
        strategy == Penetration && daysSinceStart < p.PenetrationDays
            ? unitCost * p.PenetrationFactor
            : unitCost * minMargin;
}
