namespace MarketSim.Model.Engine;

public enum EventKind : byte
{
    GpuPriceShock,
    GpuGeneration,
    CompressionBreakthrough,
    ProviderEntry,
    ProviderExit,
    PriceCut,
    StrategyChange,
    DemandShock,
    ModelRelease,
    ModelRetirement,
}

/// <summary>A scheduled event resolved against the market: indexes instead of names.</summary>
public sealed record MarketEvent(
    EventKind Kind,
    int Tick,
    int Provider = -1,
    int Tier = -1,
    int Gpu = -1,
    int Segment = -1,
    double Factor = 1,
    double Fraction = 0,
    int DurationTicks = int.MaxValue,
    string? Strategy = null,
    PricingSpec? Pricing = null,
    int Model = -1)
{
    public bool ActiveAt(int tick) => tick >= Tick && (DurationTicks == int.MaxValue || tick < Tick + DurationTicks);

    public static string KindName(EventKind kind) => kind switch
    {
        EventKind.GpuPriceShock => "gpu-price-shock",
        EventKind.GpuGeneration => "gpu-generation",
        EventKind.CompressionBreakthrough => "compression-breakthrough",
        EventKind.ProviderEntry => "provider-entry",
        EventKind.ProviderExit => "provider-exit",
        EventKind.PriceCut => "price-cut",
        EventKind.StrategyChange => "strategy-change",
        EventKind.DemandShock => "demand-shock",
        EventKind.ModelRelease => "model-release",
        EventKind.ModelRetirement => "model-retirement",
        _ => kind.ToString(),
    };

    public static EventKind ParseKind(string name) => name switch
    {
        "gpu-price-shock" => EventKind.GpuPriceShock,
        "gpu-generation" => EventKind.GpuGeneration,
        "compression-breakthrough" => EventKind.CompressionBreakthrough,
        "provider-entry" => EventKind.ProviderEntry,
        "provider-exit" => EventKind.ProviderExit,
        "price-cut" => EventKind.PriceCut,
        "strategy-change" => EventKind.StrategyChange,
        "demand-shock" => EventKind.DemandShock,
        "model-release" => EventKind.ModelRelease,
        "model-retirement" => EventKind.ModelRetirement,
        _ => throw new ArgumentException($"unknown event kind '{name}'"),
    };
}
