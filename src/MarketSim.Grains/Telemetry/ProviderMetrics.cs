using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using static MarketSim.Grains.Telemetry.MarketSimMeter;

namespace MarketSim.Grains.Telemetry;

/// <summary>
/// A provider's figures of its last settled tick, labelled run, provider (its scenario id) and, per model, tier.
/// Recorded by the grain hosting the provider from the report it returns from Settle, and removed when the grain
/// deactivates. Tier rows exist only for the tiers the provider offered that tick. Recording keeps the report and
/// adds the tokens served; the gauges read the kept report when they are scraped, so a tick pays no per-gauge work.
/// </summary>
public sealed class ProviderMetrics
{
    private readonly ConcurrentDictionary<(string Run, string Provider), Row> _rows = new();

    /// <summary>A provider's labels (made once) and its latest report; <see cref="Served"/> sums its tiers' tokens.</summary>
    private sealed class Row(string run, string provider)
    {
        public readonly KeyValuePair<string, object?>[] Tags = Labels.Of(run, provider);
        public readonly KeyValuePair<string, object?>[][] TierTags = [.. Enumerable.Range(0, Tiers.Count).Select(t => Labels.Of(run, provider, t))];
        /// <summary>Tokens served per tier since the run started; a tier is counted once it has been offered or served.</summary>
        public readonly long[] Served = new long[Tiers.Count];
        public readonly bool[] Counted = new bool[Tiers.Count];
        public volatile ProviderReport? Latest;
    }

    public ProviderMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MarketSimMeter.Name);
        meter.CreateObservableGauge("marketsim.provider.list_price", () => ObserveTiers(t => t.ListPrice / 1e6),
            Units.UsdPerMillionTokens, "List price of the provider's model in the tier (blended), US$ per million tokens");
        meter.CreateObservableGauge("marketsim.provider.unit_cost", () => ObserveTiers(t => t.UnitCost),
            Units.UsdPerMillionTokens, "Unit cost of serving a million tokens at target utilisation, US$ per million tokens");
        meter.CreateObservableGauge("marketsim.provider.margin", () => ObserveTiers(Margin),
            Units.Ratio, "Gross margin of the list price over unit cost: (list price - unit cost) / list price");
        meter.CreateObservableGauge("marketsim.provider.capacity", () => ObserveTiers(t => t.CapacityTokens),
            Units.Tokens, "Tokens the tier's share of the fleet can serve in the tick");
        meter.CreateObservableGauge("marketsim.provider.served", () => ObserveTiers(t => t.ServedTokens),
            Units.Tokens, "Tokens served in the tick");
        meter.CreateObservableGauge("marketsim.provider.demand", () => ObserveTiers(t => t.DemandTokens),
            Units.Tokens, "Tokens demanded from the provider in the tick (before capacity rationing)");
        meter.CreateObservableGauge("marketsim.provider.revenue", () => ObserveTotals(p => p.RevenueMicros / 1e6),
            Units.Usd, "Revenue in the tick, US$");
        meter.CreateObservableGauge("marketsim.provider.cost", () => ObserveTotals(p => p.CostMicros / 1e6),
            Units.Usd, "Cost in the tick (compute, training amortisation, fixed costs), US$");
        meter.CreateObservableGauge("marketsim.provider.profit", () => ObserveTotals(p => p.ProfitMicros / 1e6),
            Units.Usd, "Profit in the tick (revenue - cost), US$");
        meter.CreateObservableGauge("marketsim.provider.cash", () => ObserveTotals(p => p.CashMicros / 1e6),
            Units.Usd, "Cash at the end of the tick, US$");
        meter.CreateObservableGauge("marketsim.provider.utilisation", () => ObserveTotals(p => p.Utilisation),
            Units.Ratio, "Share of the fleet's capacity used in the tick, 0..1");
        meter.CreateObservableGauge("marketsim.provider.gpus", () => ObserveTotals(p => p.Gpus),
            "{gpu}", "GPUs in the provider's fleet");
        meter.CreateObservableGauge("marketsim.provider.rented_gpus", () => ObserveTotals(p => p.RentedGpus),
            "{gpu}", "Of the fleet's GPUs, those rented on demand");
        meter.CreateObservableGauge("marketsim.provider.active", () => ObserveTotals(p => p.Active ? 1 : 0),
            Units.Ratio, "1 while the provider is in the market, 0 before it enters and after it exits");
        meter.CreateObservableGauge("marketsim.provider.learner_exploration", () => ObserveTiers(t => t.LearnerExploration),
            Units.Ratio, "Learning strategies: the learner's exploration rate in the tick, 0..1");
        meter.CreateObservableGauge("marketsim.provider.learner_greedy_price", () => ObserveTiers(t => t.LearnerGreedyPrice),
            Units.UsdPerMillionTokens, "Learning strategies: the price of the learner's greedy action, what it charges when not exploring, US$ per million tokens");
        meter.CreateObservableGauge("marketsim.provider.learner_q_spread", () => ObserveTiers(t => t.LearnerQSpread),
            Units.Ratio, "Learning strategies: (highest - lowest) / largest magnitude of the learner's Q-values in its state");
        meter.CreateObservableCounter("marketsim.provider.tokens_served", ObserveServed, Units.Tokens,
            "Tokens served since the run started (on this silo)");
    }

    /// <summary>(list price - unit cost) / list price; NaN (not exported) without a list price or a finite cost.</summary>
    public static double Margin(ProviderTierTick t) =>
        t.ListPrice <= 0 || !double.IsFinite(t.UnitCost) ? double.NaN : (t.ListPrice / 1e6 - t.UnitCost) / (t.ListPrice / 1e6);

    /// <summary>Records a provider's settled tick. Called only by the grain hosting the provider.</summary>
    public void Record(string runId, string providerId, ProviderReport report)
    {
        var row = _rows.GetOrAdd((runId, providerId), static k => new Row(k.Run, k.Provider));
        lock (row)
        {
            for (var t = 0; t < report.Tiers.Length; t++)
            {
                var tier = report.Tiers[t];
                if (!tier.Offered && tier.ServedTokens == 0) continue;
                row.Served[t] += tier.ServedTokens;
                row.Counted[t] = true;
            }
            row.Latest = report;
        }
    }

    /// <summary>Stops exporting a provider's gauges on this silo (its grain deactivated).</summary>
    public void Remove(string runId, string providerId) => _rows.TryRemove((runId, providerId), out _);

    /// <summary>Gauge rows this silo exports (providers, provider-tiers).</summary>
    public (int Providers, int Tiers) Rows =>
        (_rows.Count, _rows.Values.Sum(r => r.Latest is { } report ? report.Tiers.Count(t => t.Offered) : 0));

    private IEnumerable<Measurement<double>> ObserveTotals(Func<ProviderTick, double> select)
    {
        foreach (var row in _rows.Values)
        {
            if (row.Latest is not { } report) continue;
            var v = select(report.Total);
            if (double.IsFinite(v)) yield return new Measurement<double>(v, row.Tags);
        }
    }

    /// <summary>One measurement per offered tier (a tier not offered in the provider's last tick has no row).</summary>
    private IEnumerable<Measurement<double>> ObserveTiers(Func<ProviderTierTick, double> select)
    {
        foreach (var row in _rows.Values)
        {
            if (row.Latest is not { } report) continue;
            for (var t = 0; t < report.Tiers.Length; t++)
            {
                if (!report.Tiers[t].Offered) continue;
                var v = select(report.Tiers[t]);
                if (double.IsFinite(v)) yield return new Measurement<double>(v, row.TierTags[t]);
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveServed()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var row in _rows.Values)
            lock (row)
                for (var t = 0; t < Tiers.Count; t++)
                    if (row.Counted[t]) measurements.Add(new Measurement<long>(row.Served[t], row.TierTags[t]));
        return measurements;
    }
}
