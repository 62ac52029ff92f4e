namespace MarketSim.Model.Hardware;

/// <summary>A GPU's rental price per hour as a function of the date.</summary>
public abstract class CostCurve
{
    public abstract double PricePerHour(DateOnly date);

    public static CostCurve From(CostCurveSpec spec, DateOnly launch) => spec.Kind switch
    {
        "exponential" => new ExponentialDecline(launch, spec.StartPricePerHour, spec.HalfLifeYears, spec.FloorPricePerHour),
        "wright" => new WrightsLaw(launch, spec.StartPricePerHour, spec.LearningRate, spec.VolumeGrowthPerYear, spec.FloorPricePerHour),
        "table" => new DatedTable(spec.Points.Select(p => (p.Date, p.Price)).ToArray(), spec.FloorPricePerHour),
        _ => throw new ArgumentException($"unknown cost curve kind '{spec.Kind}'"),
    };

    protected static double YearsBetween(DateOnly from, DateOnly to) => (to.DayNumber - from.DayNumber) / 365.25;
}

/// <summary>Exponential decline with a half-life: <c>p(t) = p0 * 0.5^(years / halfLife)</c>.</summary>
public sealed class ExponentialDecline(DateOnly launch, double startPrice, double halfLifeYears, double floor) : CostCurve
{
    public override double PricePerHour(DateOnly date) =>
        Math.Max(floor, startPrice * Math.Pow(0.5, Math.Max(0, YearsBetween(launch, date)) / halfLifeYears));
}

/// <summary>Wright's law: cost falls by <c>learningRate</c> for each doubling of cumulative volume,
/// <c>p = p0 * (V / V0)^-b</c> with <c>b = -log2(1 - learningRate)</c>; cumulative volume grows by
/// <c>volumeGrowthPerYear</c> a year.</summary>
public sealed class WrightsLaw(DateOnly launch, double startPrice, double learningRate, double volumeGrowthPerYear, double floor) : CostCurve
{
    public double Exponent { get; } = -Math.Log2(1 - learningRate);

    public override double PricePerHour(DateOnly date)
    {
        var volumeMultiple = Math.Pow(volumeGrowthPerYear, Math.Max(0, YearsBetween(launch, date)));
        return Math.Max(floor, startPrice * Math.Pow(volumeMultiple, -Exponent));
    }
}

/// <summary>Dated price points, linearly interpolated, flat before the first and after the last.</summary>
public sealed class DatedTable : CostCurve
{
    private readonly (DateOnly Date, double Price)[] _points;
    private readonly double _floor;

    public DatedTable((DateOnly Date, double Price)[] points, double floor)
    {
        if (points.Length == 0) throw new ArgumentException("a dated table needs at least one point");
        _points = points.OrderBy(p => p.Date).ToArray();
        _floor = floor;
    }

    public override double PricePerHour(DateOnly date)
    {
        if (date <= _points[0].Date) return Math.Max(_floor, _points[0].Price);
        for (var i = 1; i < _points.Length; i++)
        {
            if (date <= _points[i].Date)
            {
                var (d0, p0) = _points[i - 1];
                var (d1, p1) = _points[i];
                var f = (double)(date.DayNumber - d0.DayNumber) / (d1.DayNumber - d0.DayNumber);
                return Math.Max(_floor, p0 + (p1 - p0) * f);
            }
        }
        return Math.Max(_floor, _points[^1].Price);
    }
}
