using MarketSim.Model.Hardware;

namespace MarketSim.Model.Tests.Economics;

public sealed class CostFormulaTests
{
    [Fact]
    public void Compute_cost_is_Cp_times_P_plus_Ce_times_E() =>
        Assert.Equal(100 * 0.5 + 0.08 * 1000, CostFormulas.ComputeCost(Cp: 100, P: 0.5, Ce: 0.08, E: 1000), 12);

    [Fact]
    public void Compression_ratio_is_original_over_compressed_size() =>
        Assert.Equal(2.0, CostFormulas.CompressionRatio(V_original: 140, V_compressed: 70));

    [Fact]
    public void Distributed_efficiency_is_single_over_distributed_time_and_per_gpu_efficiency_divides_by_N()
    {
        var eta = CostFormulas.DistributedEfficiency(T_single: 10, T_distributed: 4);
        Assert.Equal(2.5, eta);
        Assert.Equal(0.625, CostFormulas.PerGpuEfficiency(eta, 4));
    }

    [Fact]
    public void Energy_counts_idle_draw_load_and_pue()
    {
        // One H100-hour at full load: 0.7 kW x 1 h x 1.58 PUE.
        Assert.Equal(0.7 * 1.58, CostFormulas.Energy(1, 700, 1, 1.58), 12);
        // Idle it still draws 30 % of rated power.
        Assert.Equal(0.7 * 0.3 * 1.58, CostFormulas.Energy(1, 700, 0, 1.58), 12);
    }

    [Fact]
    public void Billed_share_pays_reserved_capacity_whether_used_or_not()
    {
        Assert.Equal(1.0, CostFormulas.BilledShare(1.0, 0.2), 12);
        Assert.Equal(0.2, CostFormulas.BilledShare(0.0, 0.2), 12);
        Assert.Equal(0.8 + 0.2 * 0.5, CostFormulas.BilledShare(0.8, 0.5), 12);
    }

    [Fact]
    public void Worked_example_of_the_brief_two_dollars_an_hour_at_3190_tokens_per_second()
    {
        // $2 per GPU-hour at 3190 tokens/s: $0.17 per million tokens at full utilisation, $0.35 at half.
        Assert.Equal(2 / (3190 * 3600 / 1e6), CostFormulas.ServingCostPerMillionTokens(2, 3190, 1), 12);
        Assert.Equal(0.174, CostFormulas.ServingCostPerMillionTokens(2, 3190, 1), 3);
        Assert.Equal(0.348, CostFormulas.ServingCostPerMillionTokens(2, 3190, 0.5), 3);
    }

    [Fact]
    public void Hourly_gpu_cost_adds_rental_and_energy()
    {
        // Fully reserved H100 at $2/h, half utilised, PUE 1.3, $0.08/kWh.
        var energy = 0.7 * (0.3 + 0.7 * 0.5) * 1.3;
        Assert.Equal(2 + 0.08 * energy, CostFormulas.HourlyGpuCost(2, 1, 0.5, 0.08, 700, 1.3), 12);
    }

    [Fact]
    public void Tokens_per_gpu_scale_with_size_compression_and_parallel_efficiency()
    {
        Assert.Equal(3190, CostFormulas.TokensPerSecondPerGpu(3190, 70, 2, 1, 1), 9);
        Assert.Equal(3190 * 70 / 8.0, CostFormulas.TokensPerSecondPerGpu(3190, 8, 2, 1, 1), 9);
        Assert.Equal(3190 * 2, CostFormulas.TokensPerSecondPerGpu(3190, 70, 4, 1, 1), 9);
        Assert.Equal(3190 * 0.65, CostFormulas.TokensPerSecondPerGpu(3190, 70, 2, 4 * 0.65, 4), 9);
    }

    [Fact]
    public void Training_cost_is_amortised_by_months()
    {
        // DeepSeek-V3's final run, about $5.6M, over 24 months of 30.44 days.
        Assert.Equal(5.6e6 / (24 * 30.44), CostFormulas.TrainingCostPerDay(5.6e6, 24), 9);
        Assert.Equal(0, CostFormulas.TrainingCostPerDay(5.6e6, 0));
    }

    [Fact]
    public void Compression_loses_quality_per_halving() =>
        Assert.Equal(0.9 * (1 - 0.015 * 2), CostFormulas.QualityAfterCompression(0.9, 4, 0.015), 12);

    [Fact]
    public void Exponential_curve_halves_after_its_half_life_and_stops_at_its_floor()
    {
        var launch = new DateOnly(2023, 1, 1);
        var curve = new ExponentialDecline(launch, 4, 2, 1.5);
        Assert.Equal(4, curve.PricePerHour(launch), 12);
        Assert.Equal(2, curve.PricePerHour(launch.AddDays((int)Math.Round(2 * 365.25))), 2);
        Assert.Equal(1.5, curve.PricePerHour(launch.AddYears(10)), 12);
    }

    [Fact]
    public void Wrights_law_falls_by_the_learning_rate_per_doubling_of_volume()
    {
        var launch = new DateOnly(2023, 1, 1);
        var curve = new WrightsLaw(launch, 10, learningRate: 0.2, volumeGrowthPerYear: 2, floor: 0);
        // Volume doubles in one year, so the price falls 20 %.
        Assert.Equal(8, curve.PricePerHour(launch.AddDays(365)), 2);
        Assert.Equal(-Math.Log2(0.8), curve.Exponent, 12);
    }

    [Fact]
    public void Dated_table_interpolates_linearly_and_is_flat_outside()
    {
        var curve = new DatedTable([(new DateOnly(2024, 1, 1), 4.0), (new DateOnly(2024, 1, 11), 2.0)], 0);
        Assert.Equal(4, curve.PricePerHour(new DateOnly(2023, 6, 1)));
        Assert.Equal(3, curve.PricePerHour(new DateOnly(2024, 1, 6)), 12);
        Assert.Equal(2, curve.PricePerHour(new DateOnly(2025, 1, 1)));
    }

    [Fact]
    public void Money_is_charged_in_exact_micro_dollars()
    {
        // 1.5 billion tokens at $0.15 per million: $225.
        Assert.Equal(225_000_000, Money.Charge(1_500_000_000, 150_000));
        // Rounds down to the micro-dollar.
        Assert.Equal(0, Money.Charge(3, 150_000));
        Assert.Equal(7, Money.Scale(10, 7, 10));
        Assert.Equal(long.MaxValue / 3, Money.Scale(long.MaxValue, 1, 3));
    }
}
