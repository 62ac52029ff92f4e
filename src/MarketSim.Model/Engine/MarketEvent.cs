using MarketSim.Model.Scenarios;

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

    /// <summary>The kind's name in scenario files, from the table of <see cref="EventKinds"/>.</summary>
    public static string KindName(EventKind kind) => EventKinds.Of(kind).Name;

    /// <summary>The kind named <paramref name="name"/> in the table of <see cref="EventKinds"/>.</summary>
    public static EventKind ParseKind(string name) =>
        EventKinds.Find(name)?.Kind ?? throw new ArgumentException($"unknown event kind '{name}'");
}
