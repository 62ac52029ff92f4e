using MathNet.Numerics.Distributions;

namespace MarketSim.Cli.Experiments;

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

    public bool Overlaps(Estimate other) =>
        !(double.IsNaN(Ci95Low) || double.IsNaN(other.Ci95Low)) && Ci95Low <= other.Ci95High && other.Ci95Low <= Ci95High;
}

/// <summary>Seeds of replications: replication r (0-based) uses the (r+1)-th output of a SplitMix64 generator
/// started at the experiment's root seed. Every variant uses the same seed for the same replication (common random
/// numbers), so differences between variants are not differences of luck.</summary>
public static class Seeds
{
    public static ulong ForReplication(ulong rootSeed, int replication)
    {
        var state = rootSeed;
        ulong z = 0;
        for (var i = 0; i <= replication; i++) z = SplitMix64(ref state);
        return z;
    }

    public static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
