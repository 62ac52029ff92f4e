namespace MarketSim.Model.Hardware;

// Placeholder replaced by the calibrated catalogue.
public static class GpuCatalogue
{
    public static IReadOnlyList<GpuSpec> BuiltIn { get; } =
    [
        new() { Id = "A100", Launch = new(2020, 5, 14), MemoryGb = 80, PowerWatts = 400, TokensPerSecond = 1200,
            Curve = new() { Kind = "exponential", StartPricePerHour = 4.0, HalfLifeYears = 2.07, FloorPricePerHour = 0.8 } },
        new() { Id = "H100", Launch = new(2023, 3, 21), MemoryGb = 80, PowerWatts = 700, TokensPerSecond = 3360,
            Curve = new() { Kind = "exponential", StartPricePerHour = 4.7, HalfLifeYears = 1.5, FloorPricePerHour = 1.7 } },
        new() { Id = "H200", Launch = new(2024, 5, 1), MemoryGb = 141, PowerWatts = 700, TokensPerSecond = 3800,
            Curve = new() { Kind = "exponential", StartPricePerHour = 5.0, HalfLifeYears = 2.07, FloorPricePerHour = 2.0 } },
        new() { Id = "B200", Launch = new(2025, 3, 1), MemoryGb = 192, PowerWatts = 1000, TokensPerSecond = 5600,
            Curve = new() { Kind = "exponential", StartPricePerHour = 6.0, HalfLifeYears = 2.07, FloorPricePerHour = 2.25 } },
    ];
}
