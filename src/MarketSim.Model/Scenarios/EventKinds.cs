using MarketSim.Model.Engine;

namespace MarketSim.Model.Scenarios;

/// <summary>One kind of scheduled event: its name in scenario files, the engine's enum value, the fields it needs,
/// the other fields it may have, and what it does.</summary>
public sealed record EventKindInfo(EventKind Kind, string Name, IReadOnlyList<string> Required, IReadOnlyList<string> Optional, string Description)
{
    /// <summary>Every field an event of this kind may have: the common ones, the required and the optional.</summary>
    public IEnumerable<string> Allowed => EventKinds.CommonFields.Concat(Required).Concat(Optional);
}

/// <summary>The one table of event kinds. The loader's checks (needed and unused fields), the JSON Schema's enum of
/// <c>kind</c> (a test compares them), <see cref="MarketEvent.KindName"/> and <see cref="MarketEvent.ParseKind"/>
/// and the kinds the inject command offers all come from it.</summary>
public static class EventKinds
{
    /// <summary>Fields every event may have whatever its kind.</summary>
    public static readonly IReadOnlyList<string> CommonFields = ["id", "at", "tick", "kind"];

    public static readonly IReadOnlyList<EventKindInfo> All =
    [
        new(EventKind.GpuPriceShock, "gpu-price-shock", ["gpu", "factor"], ["days"],
            "multiplies the rental price of a GPU type by factor (for days, or the rest of the run)"),
        new(EventKind.GpuGeneration, "gpu-generation", ["newGpu"], [],
            "a new GPU type becomes available"),
        new(EventKind.CompressionBreakthrough, "compression-breakthrough", ["factor"], ["provider", "model", "gpu", "fraction", "days"],
            "multiplies the compression ratio R by factor (>= 1), losing fraction of quality; all providers unless provider is given"),
        new(EventKind.ProviderEntry, "provider-entry", ["entrant"], [],
            "a new provider (entrant) enters the market"),
        new(EventKind.ProviderExit, "provider-exit", ["provider"], [],
            "a provider leaves the market"),
        new(EventKind.PriceCut, "price-cut", ["provider", "fraction"], ["model", "days"],
            "a provider cuts its list prices by fraction (in (0, 1)), of one model or all"),
        new(EventKind.StrategyChange, "strategy-change", ["provider", "strategy"], ["pricing"],
            "a provider switches to another pricing strategy, optionally with new pricing parameters"),
        new(EventKind.DemandShock, "demand-shock", ["factor"], ["segment", "days"],
            "multiplies the base demand of one segment (or all) by factor"),
        new(EventKind.ModelRelease, "model-release", ["provider", "release"], [],
            "a provider releases a model (release): it replaces the provider's model of its tier, or adds the tier"),
        new(EventKind.ModelRetirement, "model-retirement", ["provider", "model"], [],
            "a provider stops serving one of its models"),
    ];

    /// <summary>The names, in table order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(k => k.Name)];

    /// <summary>The kind with this name, or null.</summary>
    public static EventKindInfo? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The entry of an engine kind.</summary>
    public static EventKindInfo Of(EventKind kind) =>
        All.FirstOrDefault(k => k.Kind == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "not in the event kind table");
}
