using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using static MarketSim.Grains.Telemetry.MarketSimMeter;

namespace MarketSim.Grains.Telemetry;

/// <summary>
/// The market's figures of a run's last tick (labels run and, where it applies, tier or provider), recorded by
/// the run's coordinator from the tick's observation and removed when the coordinator deactivates. Recording keeps
/// the observation; the gauges compute their figures from it when they are scraped, so a tick pays no per-gauge work.
/// </summary>
public sealed class MarketMetrics
{
    private readonly ConcurrentDictionary<string, Row> _rows = new();
    private readonly Counter<long> _entries;
    private readonly Counter<long> _exits;

    /// <summary>A run's latest observation with the names it is labelled by, and its label sets (made once).</summary>
    private sealed class Row(string run)
    {
        public readonly KeyValuePair<string, object?>[] Tags = Labels.Of(run);
        public readonly KeyValuePair<string, object?>[][] TierTags = [.. Enumerable.Range(0, Tiers.Count).Select(t => Labels.OfTier(run, t))];
        private KeyValuePair<string, object?>[][] _providerTags = [];
        private KeyValuePair<string, object?>[][] _capabilityTags = [];
        public volatile Latest? Current;

        /// <summary>Keeps a tick's observation, making the label sets of providers (entrants) and levels not seen before.</summary>
        public void Set(IReadOnlyList<string> providerIds, IReadOnlyList<string> levels, TickObservation o)
        {
            if (_providerTags.Length < providerIds.Count)
                _providerTags = [.. _providerTags, .. providerIds.Skip(_providerTags.Length).Select(p => Labels.Of(run, p))];
            if (_capabilityTags.Length < 2 * levels.Count)
                _capabilityTags = [.. levels.SelectMany(l => new[] { Labels.OfCapability(run, l, Labels.Listed), Labels.OfCapability(run, l, Labels.Bought) })];
            Current = new Latest(o, _providerTags, _capabilityTags);
        }
    }

    /// <summary>An observation with the label sets of its providers and of its capability levels (listed, bought).</summary>
    private sealed record Latest(TickObservation Observation, KeyValuePair<string, object?>[][] ProviderTags, KeyValuePair<string, object?>[][] CapabilityTags);

    public MarketMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MarketSimMeter.Name);
        meter.CreateObservableGauge("marketsim.market.price_index", () => ObserveTiers((o, t) => o.PriceIndex[t]),
            Units.UsdPerMillionTokens, "Volume-weighted price paid in the tier, US$ per million tokens (absent when nothing was sold)");
        meter.CreateObservableGauge("marketsim.market.volume", () => ObserveTiers(Volume),
            Units.Tokens, "Tokens served in the tier in the tick, all providers");
        meter.CreateObservableGauge("marketsim.market.hhi", () => ObserveRuns(o => o.Hhi),
            Units.Ratio, "Herfindahl-Hirschman index of token shares, 0..10000");
        meter.CreateObservableGauge("marketsim.market.active_providers", () => ObserveRuns(o => o.ActiveProviders),
            "{provider}", "Providers in the market");
        meter.CreateObservableGauge("marketsim.market.share", ObserveShares,
            Units.Ratio, "A provider's share of the tokens served in the tick, 0..1");
        meter.CreateObservableGauge("marketsim.market.wanted_tokens", () => ObserveRuns(o => o.TokensWanted),
            Units.Tokens, "Tokens customers wanted from their first choices in the tick");
        meter.CreateObservableGauge("marketsim.market.served_tokens", () => ObserveRuns(o => o.TokensWanted - o.TokensLost),
            Units.Tokens, "Tokens served in the tick, first and next choices");
        meter.CreateObservableGauge("marketsim.market.lost_tokens", () => ObserveRuns(o => o.TokensLost),
            Units.Tokens, "Tokens wanted in the tick that no provider served");
        meter.CreateObservableGauge("marketsim.market.served_share", () => ObserveRuns(o => o.ServedShare),
            Units.Ratio, "Share of the wanted tokens that were served in the tick, 0..1");
        meter.CreateObservableGauge("marketsim.market.second_choice_tokens", () => ObserveRuns(o => o.Segments.Sum(s => s.SecondChoiceTokens)),
            Units.Tokens, "Tokens served in the tick by a customer's next choice because its first choice was full");
        meter.CreateObservableGauge("marketsim.market.capability_price", ObserveCapability,
            Units.UsdPerMillionTokens, "Price of a fixed capability level: the lowest list price (kind listed) or lowest average price paid (kind bought) for a model of at least that quality, US$ per million tokens");
        _entries = meter.CreateCounter<long>("marketsim.market.entries", "{provider}", "Providers that entered the market");
        _exits = meter.CreateCounter<long>("marketsim.market.exits", "{provider}", "Providers that left the market");
    }

    /// <summary>Records a tick's market figures. Called only by the run's coordinator.</summary>
    public void Record(string runId, IReadOnlyList<string> providerIds, IReadOnlyList<string> capabilityLevels, TickObservation o)
    {
        var row = _rows.GetOrAdd(runId, static run => new Row(run));
        row.Set(providerIds, capabilityLevels, o);
        _entries.Add(o.Entries, row.Tags);
        _exits.Add(o.Exits, row.Tags);
    }

    /// <summary>Stops exporting a run's gauges on this silo (its coordinator deactivated).</summary>
    public void Remove(string runId) => _rows.TryRemove(runId, out _);

    private static double Volume(TickObservation o, int tier)
    {
        long volume = 0;
        foreach (var p in o.Providers) volume += p.Tiers[tier].ServedTokens;
        return volume;
    }

    /// <summary>One measurement per run whose selected value is a finite number.</summary>
    private IEnumerable<Measurement<double>> ObserveRuns(Func<TickObservation, double> select)
    {
        foreach (var row in _rows.Values)
            if (row.Current is { } latest && select(latest.Observation) is var v && double.IsFinite(v))
                yield return new Measurement<double>(v, row.Tags);
    }

    private IEnumerable<Measurement<double>> ObserveTiers(Func<TickObservation, int, double> select)
    {
        foreach (var row in _rows.Values)
        {
            if (row.Current is not { } latest) continue;
            for (var t = 0; t < Tiers.Count; t++)
                if (select(latest.Observation, t) is var v && double.IsFinite(v)) yield return new Measurement<double>(v, row.TierTags[t]);
        }
    }

    private IEnumerable<Measurement<double>> ObserveShares()
    {
        foreach (var row in _rows.Values)
        {
            if (row.Current is not { } latest) continue;
            for (var p = 0; p < latest.Observation.Providers.Length; p++)
                if (latest.Observation.ShareByTokens(p) is var v && double.IsFinite(v)) yield return new Measurement<double>(v, latest.ProviderTags[p]);
        }
    }

    /// <summary>NaN (no model of that quality offered, or none sold) is not exported, like an empty tier's price index.</summary>
    private IEnumerable<Measurement<double>> ObserveCapability()
    {
        foreach (var row in _rows.Values)
        {
            if (row.Current is not { } latest) continue;
            var o = latest.Observation;
            for (var l = 0; l < o.CapabilityListed.Length; l++)
            {
                if (double.IsFinite(o.CapabilityListed[l])) yield return new Measurement<double>(o.CapabilityListed[l], latest.CapabilityTags[2 * l]);
                if (double.IsFinite(o.CapabilityBought[l])) yield return new Measurement<double>(o.CapabilityBought[l], latest.CapabilityTags[2 * l + 1]);
            }
        }
    }
}
