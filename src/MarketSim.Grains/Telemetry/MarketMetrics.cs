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
    private readonly GaugeRows<double> _capability = new();
    private readonly Counter<long> _entries;
    private readonly Counter<long> _exits;

    private sealed record Market(double Hhi, int ActiveProviders, long Wanted, long Served, long Lost, double ServedShare, long SecondChoice);

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
        meter.CreateObservableGauge("marketsim.market.wanted_tokens", () => _market.Observe(m => m.Wanted),
            Units.Tokens, "Tokens customers wanted from their first choices in the tick");
        meter.CreateObservableGauge("marketsim.market.served_tokens", () => _market.Observe(m => m.Served),
            Units.Tokens, "Tokens served in the tick, first and next choices");
        meter.CreateObservableGauge("marketsim.market.lost_tokens", () => _market.Observe(m => m.Lost),
            Units.Tokens, "Tokens wanted in the tick that no provider served");
        meter.CreateObservableGauge("marketsim.market.served_share", () => _market.Observe(m => m.ServedShare),
            Units.Ratio, "Share of the wanted tokens that were served in the tick, 0..1");
        meter.CreateObservableGauge("marketsim.market.second_choice_tokens", () => _market.Observe(m => m.SecondChoice),
            Units.Tokens, "Tokens served in the tick by a customer's next choice because its first choice was full");
        meter.CreateObservableGauge("marketsim.market.capability_price", () => _capability.Observe(p => p),
            Units.UsdPerMillionTokens, "Price of a fixed capability level: the lowest list price (kind listed) or lowest average price paid (kind bought) for a model of at least that quality, US$ per million tokens");
        _entries = meter.CreateCounter<long>("marketsim.market.entries", "{provider}", "Providers that entered the market");
        _exits = meter.CreateCounter<long>("marketsim.market.exits", "{provider}", "Providers that left the market");
    }

    /// <summary>Records a tick's market figures. Called only by the run's coordinator.</summary>
    public void Record(string runId, IReadOnlyList<string> providerIds, IReadOnlyList<string> capabilityLevels, TickObservation o)
    {
        long secondChoice = 0;
        foreach (var s in o.Segments) secondChoice += s.SecondChoiceTokens;
        _market.Set(runId, Labels.Of(runId), new Market(o.Hhi, o.ActiveProviders, o.TokensWanted, o.TokensWanted - o.TokensLost,
            o.TokensLost, o.ServedShare, secondChoice));
        for (var l = 0; l < o.CapabilityListed.Length; l++)
        {
            // NaN (no model of that quality offered, or none sold) is not exported, like an empty tier's price index.
            _capability.Set(runId, Labels.OfCapability(runId, capabilityLevels[l], Labels.Listed), o.CapabilityListed[l]);
            _capability.Set(runId, Labels.OfCapability(runId, capabilityLevels[l], Labels.Bought), o.CapabilityBought[l]);
        }
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
        _capability.RemoveOwner(runId);
        _market.RemoveOwner(runId);
        _tiers.RemoveOwner(runId);
        _shares.RemoveOwner(runId);
    }
}
