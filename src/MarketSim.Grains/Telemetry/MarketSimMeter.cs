using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MarketSim.Grains.Telemetry;

/// <summary>The simulation's meter and the units its instruments use (UCUM; currency has no UCUM unit, so money
/// is in ISO 4217 "USD"). The Prometheus exporter names an instrument marketsim_&lt;subject&gt;_&lt;quantity&gt;_&lt;unit&gt;
/// and adds _total to counters; annotations in braces ({token}) are dropped, so counts carry no unit suffix.</summary>
public static class MarketSimMeter
{
    public const string Name = "MarketSim";

    public static class Units
    {
        public const string Usd = "USD";
        /// <summary>US$ per million tokens: the unit of list prices, unit costs and the price index.</summary>
        public const string UsdPerMillionTokens = "USD/M{token}";
        public const string Ratio = "1";
        public const string Tokens = "{token}";
        public const string Seconds = "s";
    }

    /// <summary>Registers the per-silo metric tables the grains record into (every silo needs them: the grains take
    /// them through their constructors). Exporting them is the host's business (MarketSim.Silo).</summary>
    public static IServiceCollection AddMarketSimTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ProviderMetrics>();
        services.TryAddSingleton<MarketMetrics>();
        services.TryAddSingleton<SegmentMetrics>();
        services.TryAddSingleton<NegotiationMetrics>();
        services.TryAddSingleton<EngineMetrics>();
        return services;
    }
}
