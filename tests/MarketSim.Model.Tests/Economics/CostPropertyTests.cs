using FsCheck;
using FsCheck.Xunit;

namespace MarketSim.Model.Tests.Economics;

/// <summary>Properties of the cost functions over generated inputs.</summary>
public sealed class CostPropertyTests
{
    private static double Price(PositiveInt x) => x.Get % 10_000 / 100.0 + 0.01;          // $0.01 .. $100 per hour
    private static double Share(PositiveInt x) => (x.Get % 1000 + 1) / 1001.0;            // (0, 1)
    private static double Ratio(PositiveInt x) => 1 + x.Get % 700 / 100.0;                 // 1 .. 8

    [Property]
    public bool Serving_cost_rises_with_the_gpu_price(PositiveInt a, PositiveInt b, PositiveInt u)
    {
        var (lo, hi) = (Math.Min(Price(a), Price(b)), Math.Max(Price(a), Price(b)));
        return CostFormulas.ServingCostPerMillionTokens(lo, 3000, Share(u)) <= CostFormulas.ServingCostPerMillionTokens(hi, 3000, Share(u));
    }

    [Property]
    public bool Serving_cost_per_token_falls_as_utilisation_rises(PositiveInt p, PositiveInt a, PositiveInt b)
    {
        var (lo, hi) = (Math.Min(Share(a), Share(b)), Math.Max(Share(a), Share(b)));
        double Cost(double u) => CostFormulas.ServingCostPerMillionTokens(
            CostFormulas.HourlyGpuCost(Price(p), 0.8, u, 0.08, 700, 1.3), 3000, u);
        return Cost(hi) <= Cost(lo) + 1e-12;
    }

    [Property]
    public bool Compute_cost_rises_with_utilisation_for_on_demand_capacity(PositiveInt p, PositiveInt a, PositiveInt b)
    {
        var (lo, hi) = (Math.Min(Share(a), Share(b)), Math.Max(Share(a), Share(b)));
        return CostFormulas.HourlyGpuCost(Price(p), 0, lo, 0.08, 700, 1.3) <= CostFormulas.HourlyGpuCost(Price(p), 0, hi, 0.08, 700, 1.3);
    }

    [Property]
    public bool More_compression_means_more_tokens_and_lower_cost(PositiveInt a, PositiveInt b, PositiveInt p)
    {
        var (lo, hi) = (Math.Min(Ratio(a), Ratio(b)), Math.Max(Ratio(a), Ratio(b)));
        var tLo = CostFormulas.TokensPerSecondPerGpu(3000, 70, lo, 1, 1);
        var tHi = CostFormulas.TokensPerSecondPerGpu(3000, 70, hi, 1, 1);
        return tLo <= tHi && CostFormulas.ServingCostPerMillionTokens(Price(p), tHi, 0.7) <= CostFormulas.ServingCostPerMillionTokens(Price(p), tLo, 0.7);
    }

    [Property]
    public bool Better_distributed_efficiency_means_more_tokens_and_lower_cost(PositiveInt a, PositiveInt b, PositiveInt n)
    {
        var gpus = n.Get % 8 + 1;
        var (lo, hi) = (gpus * Math.Min(Share(a), Share(b)), gpus * Math.Max(Share(a), Share(b)));
        var tLo = CostFormulas.TokensPerSecondPerGpu(3000, 70, 2, lo, gpus);
        var tHi = CostFormulas.TokensPerSecondPerGpu(3000, 70, 2, hi, gpus);
        return tLo <= tHi && CostFormulas.ServingCostPerMillionTokens(2, tHi, 0.7) <= CostFormulas.ServingCostPerMillionTokens(2, tLo, 0.7);
    }

    [Property]
    public bool Compression_never_raises_quality(PositiveInt q, PositiveInt f) =>
        CostFormulas.QualityAfterCompression(Share(q), Ratio(f), 0.015) <= Share(q);
}
