using System.Diagnostics.Metrics;
using static MarketSim.Grains.Telemetry.MarketSimMeter;

namespace MarketSim.Grains.Telemetry;

/// <summary>
/// A provider's figures of its last settled tick, labelled run, provider (its scenario id) and, per model, tier.
/// Recorded by the provider's grain from the report it returns from Settle, and removed when the grain
/// deactivates. Tier rows exist only for the tiers the provider offered that tick.
/// </summary>
public sealed class ProviderMetrics
{
    private readonly GaugeRows<ProviderTick> _totals = new();
    private readonly GaugeRows<ProviderTierTick> _tiers = new();
    private readonly Counter<long> _tokensServed;

    public ProviderMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MarketSimMeter.Name);
        meter.CreateObservableGauge("marketsim.provider.list_price", () => _tiers.Observe(t => t.ListPrice / 1e6),
            Units.UsdPerMillionTokens, "List price of the provider's model in the tier (blended), US$ per million tokens");
        meter.CreateObservableGauge("marketsim.provider.unit_cost", () => _tiers.Observe(t => t.UnitCost),
            Units.UsdPerMillionTokens, "Unit cost of serving a million tokens at target utilisation, US$ per million tokens");
        meter.CreateObservableGauge("marketsim.provider.margin", () => _tiers.Observe(Margin),
            Units.Ratio, "Gross margin of the list price over unit cost: (list price - unit cost) / list price");
        meter.CreateObservableGauge("marketsim.provider.capacity", () => _tiers.Observe(t => t.CapacityTokens),
            Units.Tokens, "Tokens the tier's share of the fleet can serve in the tick");
        meter.CreateObservableGauge("marketsim.provider.served", () => _tiers.Observe(t => t.ServedTokens),
            Units.Tokens, "Tokens served in the tick");
        meter.CreateObservableGauge("marketsim.provider.demand", () => _tiers.Observe(t => t.DemandTokens),
            Units.Tokens, "Tokens demanded from the provider in the tick (before capacity rationing)");
        meter.CreateObservableGauge("marketsim.provider.revenue", () => _totals.Observe(p => p.RevenueMicros / 1e6),
            Units.Usd, "Revenue in the tick, US$");
        meter.CreateObservableGauge("marketsim.provider.cost", () => _totals.Observe(p => p.CostMicros / 1e6),
            Units.Usd, "Cost in the tick (compute, training amortisation, fixed costs), US$");
        meter.CreateObservableGauge("marketsim.provider.profit", () => _totals.Observe(p => p.ProfitMicros / 1e6),
            Units.Usd, "Profit in the tick (revenue - cost), US$");
        meter.CreateObservableGauge("marketsim.provider.cash", () => _totals.Observe(p => p.CashMicros / 1e6),
            Units.Usd, "Cash at the end of the tick, US$");
        meter.CreateObservableGauge("marketsim.provider.utilisation", () => _totals.Observe(p => p.Utilisation),
            Units.Ratio, "Share of the fleet's capacity used in the tick, 0..1");
        meter.CreateObservableGauge("marketsim.provider.gpus", () => _totals.Observe(p => p.Gpus),
            "{gpu}", "GPUs in the provider's fleet");
        meter.CreateObservableGauge("marketsim.provider.rented_gpus", () => _totals.Observe(p => p.RentedGpus),
            "{gpu}", "Of the fleet's GPUs, those rented on demand");
        meter.CreateObservableGauge("marketsim.provider.active", () => _totals.Observe(p => p.Active ? 1 : 0),
            Units.Ratio, "1 while the provider is in the market, 0 before it enters and after it exits");
        meter.CreateObservableGauge("marketsim.provider.learner_exploration", () => _tiers.Observe(t => t.LearnerExploration),
            Units.Ratio, "Learning strategies: the learner's exploration rate in the tick, 0..1");
        meter.CreateObservableGauge("marketsim.provider.learner_greedy_price", () => _tiers.Observe(t => t.LearnerGreedyPrice),
            Units.UsdPerMillionTokens, "Learning strategies: the price of the learner's greedy action, what it charges when not exploring, US$ per million tokens");
        meter.CreateObservableGauge("marketsim.provider.learner_q_spread", () => _tiers.Observe(t => t.LearnerQSpread),
            Units.Ratio, "Learning strategies: (highest - lowest) / largest magnitude of the learner's Q-values in its state");
        _tokensServed = meter.CreateCounter<long>("marketsim.provider.tokens_served", Units.Tokens,
            "Tokens served since the run started (on this silo)");
    }

    /// <summary>(list price - unit cost) / list price; NaN (not exported) without a list price or a finite cost.</summary>
    public static double Margin(ProviderTierTick t) =>
        t.ListPrice <= 0 || !double.IsFinite(t.UnitCost) ? double.NaN : (t.ListPrice / 1e6 - t.UnitCost) / (t.ListPrice / 1e6);

    /// <summary>Records a provider's settled tick. Called only by the grain hosting the provider.</summary>
    public void Record(string runId, string providerId, ProviderReport report)
    {
        var owner = Owner(runId, providerId);
        _totals.Set(owner, Labels.Of(runId, providerId), report.Total);
        for (var t = 0; t < report.Tiers.Length; t++)
        {
            var tags = Labels.Of(runId, providerId, t);
            var tier = report.Tiers[t];
            if (tier.Offered) _tiers.Set(owner, tags, tier);
            else _tiers.Remove(tags);
            if (tier.Offered || tier.ServedTokens != 0) _tokensServed.Add(tier.ServedTokens, tags);
        }
    }

    /// <summary>Stops exporting a provider's gauges on this silo (its grain deactivated).</summary>
    public void Remove(string runId, string providerId)
    {
        var owner = Owner(runId, providerId);
        _totals.RemoveOwner(owner);
        _tiers.RemoveOwner(owner);
    }

    /// <summary>Gauge rows this silo exports (providers, provider-tiers).</summary>
    public (int Providers, int Tiers) Rows => (_totals.Count, _tiers.Count);

    private static string Owner(string runId, string providerId) => $"{runId}/{providerId}";
}
