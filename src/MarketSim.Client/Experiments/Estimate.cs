using System.Globalization;
using MathNet.Numerics.Distributions;

namespace MarketSim.Client;

/// <summary>Mean, sample standard deviation and the 95 % confidence interval of the mean from the t distribution
/// with n − 1 degrees of freedom: mean ± t(0.975, n − 1) · sd / √n.</summary>
public sealed record Estimate(double Mean, double Sd, double Ci95Low, double Ci95High, int N)
{
    public static Estimate? Of(IReadOnlyCollection<double> values)
    {
        var n = values.Count;
        if (n == 0) return null;
        var mean = values.Average();
        if (n == 1) return new Estimate(mean, double.NaN, double.NaN, double.NaN, 1);
        var sd = Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        var half = TQuantile(n - 1) * sd / Math.Sqrt(n);
        return new Estimate(mean, sd, mean - half, mean + half, n);
    }

    /// <summary>t(0.975, df).</summary>
    public static double TQuantile(int degreesOfFreedom) => StudentT.InvCDF(0, 1, degreesOfFreedom, 0.975);

    /// <summary>True when the interval lies wholly above or below zero (for a difference: a clear effect).</summary>
    public bool ExcludesZero => !double.IsNaN(Ci95Low) && (Ci95Low > 0 || Ci95High < 0);

    /// <summary>"mean [low, high]" with <paramref name="format"/> (invariant culture), e.g. "1,234 [1,100, 1,368]".</summary>
    public string ToString(string format) =>
        $"{Mean.ToString(format, CultureInfo.InvariantCulture)} [{Ci95Low.ToString(format, CultureInfo.InvariantCulture)}, {Ci95High.ToString(format, CultureInfo.InvariantCulture)}]";

    public bool Overlaps(Estimate other) =>
        !(double.IsNaN(Ci95Low) || double.IsNaN(other.Ci95Low)) && Ci95Low <= other.Ci95High && other.Ci95Low <= Ci95High;
}
