using System.Diagnostics.Metrics;
using static MarketSim.Grains.Telemetry.MarketSimMeter;

namespace MarketSim.Grains.Telemetry;

/// <summary>
/// The market's figures of a run's last tick (labels run and, where it applies, tier or provider), recorded by
/// the run's coordinator from the tick's observation and removed when the coordinator deactivates.
/// </summary>
public sealed class MarketMetrics
{
    private readonly GaugeRows<Market> _market = new();
    private readonly GaugeRows<TierFigures> _tiers = new();
    private readonly GaugeRows<double> _shares = new();
    private readonly Counter<long> _entries;
    private readonly Counter<long> _exits;

    private sealed record Market(double Hhi, int ActiveProviders);

    private sealed record TierFigures(double PriceIndex, long Volume);

    public MarketMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MarketSimMeter.Name);
        meter.CreateObservableGauge("marketsim.market.price_index", () => _tiers.Observe(t => t.PriceIndex),
            Units.UsdPerMillionTokens, "Volume-weighted price paid in the tier, US$ per million tokens (absent when nothing was sold)");
        meter.CreateObservableGauge("marketsim.market.volume", () => _tiers.Observe(t => t.Volume),
            Units.Tokens, "Tokens served in the tier in the tick, all providers");
        meter.CreateObservableGauge("marketsim.market.hhi", () => _market.Observe(m => m.Hhi),
            Units.Ratio, "Herfindahl-Hirschman index of token shares, 0..10000");
        meter.CreateObservableGauge("marketsim.market.active_providers", () => _market.Observe(m => m.ActiveProviders),
            "{provider}", "Providers in the market");
        meter.CreateObservableGauge("marketsim.market.share", () => _shares.Observe(s => s),
            Units.Ratio, "A provider's share of the tokens served in the tick, 0..1");
        _entries = meter.CreateCounter<long>("marketsim.market.entries", "{provider}", "Providers that entered the market");
        _exits = meter.CreateCounter<long>("marketsim.market.exits", "{provider}", "Providers that left the market");
    }

    /// <summary>Records a tick's market figures. Called only by the run's coordinator.</summary>
    public void Record(string runId, IReadOnlyList<string> providerIds, TickObservation o)
    {
        _market.Set(runId, Labels.Of(runId), new Market(o.Hhi, o.ActiveProviders));
        for (var t = 0; t < Tiers.Count; t++)
        {
            long volume = 0;
            foreach (var p in o.Providers) volume += p.Tiers[t].ServedTokens;
            _tiers.Set(runId, Labels.OfTier(runId, t), new TierFigures(o.PriceIndex[t], volume));
        }
        for (var p = 0; p < o.Providers.Length; p++)
            _shares.Set(runId, Labels.Of(runId, providerIds[p]), o.ShareByTokens(p));
        var run = Labels.Of(runId);
        _entries.Add(o.Entries, run);
        _exits.Add(o.Exits, run);
    }

    /// <summary>Stops exporting a run's gauges on this silo (its coordinator deactivated).</summary>
    public void Remove(string runId)
    {
        _market.RemoveOwner(runId);
        _tiers.RemoveOwner(runId);
        _shares.RemoveOwner(runId);
    }
}
