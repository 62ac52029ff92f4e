namespace MarketSim.Model.Economics;

/// <summary>Customer-side equations: demand, value and utility. Prices in US$ per million tokens.</summary>
public static class Demand
{
    /// <summary>Constant-elasticity demand, million tokens per day:
    /// <c>D(p) = D0 * (p / pRef)^-e</c>, capped at <c>maxMultiple * D0</c> and by the daily budget.</summary>
    public static double DailyMillions(double baseMillions, double price, double referencePrice, double elasticity,
        double maxMultiple, double budgetPerDay)
    {
        if (baseMillions <= 0) return 0;
        return DailyMillions(baseMillions, price, PriceFactor(price, referencePrice, elasticity), maxMultiple, budgetPerDay);
    }

    /// <summary>The price term of <see cref="DailyMillions(double, double, double, double, double, double)"/>,
    /// <c>(p / pRef)^-e</c>: the same for every customer of a segment at a price, so the engine computes it once
    /// per tick per segment and offer (and once per contract) instead of once per customer.</summary>
    public static double PriceFactor(double price, double referencePrice, double elasticity) =>
        Math.Pow(Math.Max(price, 1e-6) / referencePrice, -elasticity);

    /// <summary><see cref="DailyMillions(double, double, double, double, double, double)"/> with its price term
    /// <see cref="PriceFactor"/> given; the same result to the bit.</summary>
    public static double DailyMillions(double baseMillions, double price, double priceFactor, double maxMultiple, double budgetPerDay)
    {
        if (baseMillions <= 0) return 0;
        var p = Math.Max(price, 1e-6);
        var d = baseMillions * priceFactor;
        d = Math.Min(d, baseMillions * maxMultiple);
        return Math.Min(d, budgetPerDay / p);
    }

    /// <summary>The profit-maximising price of a monopolist with constant unit cost <c>c</c> facing constant-elasticity
    /// demand of elasticity <c>e &gt; 1</c> (Lerner): <c>c * e / (e - 1)</c>, where <c>(p - c) p^-e</c> peaks; infinite
    /// for <c>e &lt;= 1</c>, where profit rises with the price without end.</summary>
    public static double LernerPrice(double unitCost, double elasticity) =>
        elasticity > 1 ? unitCost * elasticity / (elasticity - 1) : double.PositiveInfinity;

    /// <summary>Value of a million tokens at a quality: <c>v(q) = wtp * q^k</c>.</summary>
    public static double ValuePerMillion(double willingnessToPay, double quality, double qualityWeight) =>
        willingnessToPay * QualityFactor(quality, qualityWeight);

    /// <summary>The quality term <c>q^k</c> of <see cref="ValuePerMillion"/>.</summary>
    public static double QualityFactor(double quality, double qualityWeight) => Math.Pow(quality, qualityWeight);

    /// <summary>Daily utility of an offer: the value of the tokens minus what they cost, minus the switching cost
    /// spread over the days it is expected to pay off.</summary>
    public static double DailyUtility(double millions, double value, double price, double switchingCostPerDay) =>
        millions * (value - price) - switchingCostPerDay;

    /// <summary>Logistic adoption: share of a segment's customers present by <paramref name="day"/>.</summary>
    public static double AdoptedShare(double day, double initialShare, double midpointDays, double steepness)
    {
        static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
        var f0 = Logistic(-steepness * midpointDays);
        var ft = Logistic(steepness * (day - midpointDays));
        var normalised = (ft - f0) / (1 - f0);
        return initialShare + (1 - initialShare) * normalised;
    }

    /// <summary>Inverse of <see cref="AdoptedShare"/>: the day by which a customer with uniform draw u arrives.</summary>
    public static double ArrivalDay(double u, double initialShare, double midpointDays, double steepness)
    {
        if (u <= initialShare) return 0;
        var f0 = 1 / (1 + Math.Exp(steepness * midpointDays));
        var normalised = (u - initialShare) / (1 - initialShare);
        var ft = f0 + normalised * (1 - f0);
        if (ft >= 1) return double.PositiveInfinity;
        return midpointDays + Math.Log(ft / (1 - ft)) / steepness;
    }
}
