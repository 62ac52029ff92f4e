using System.Diagnostics.Metrics;
using static MarketSim.Grains.Telemetry.MarketSimMeter;

namespace MarketSim.Grains.Telemetry;

/// <summary>
/// Each customer segment's figures of a run's last tick (labels run, segment), summed by the coordinator over
/// the customer blocks' usage reports. Customers are only ever counted, never labelled.
/// </summary>
public sealed class SegmentMetrics
{
    private readonly GaugeRows<SegmentTick> _segments = new();
    private readonly Counter<long> _switches;
    private readonly Counter<long> _arrivals;

    public SegmentMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MarketSimMeter.Name);
        meter.CreateObservableGauge("marketsim.segment.customers", () => _segments.Observe(s => s.ActiveCustomers),
            "{customer}", "Customers in the market");
        meter.CreateObservableGauge("marketsim.segment.under_contract", () => _segments.Observe(s => s.UnderContract),
            "{customer}", "Customers under a term contract");
        meter.CreateObservableGauge("marketsim.segment.demand", () => _segments.Observe(s => s.DemandTokens),
            Units.Tokens, "Tokens demanded in the tick");
        meter.CreateObservableGauge("marketsim.segment.served", () => _segments.Observe(s => s.ServedTokens),
            Units.Tokens, "Tokens served in the tick");
        meter.CreateObservableGauge("marketsim.segment.second_choice", () => _segments.Observe(s => s.SecondChoiceTokens),
            Units.Tokens, "Of the tokens served in the tick, those a customer's next choice served because its first choice was full");
        meter.CreateObservableGauge("marketsim.segment.spend", () => _segments.Observe(s => s.SpendMicros / 1e6),
            Units.Usd, "Money the segment paid in the tick, US$");
        meter.CreateObservableGauge("marketsim.segment.consumer_surplus", () => _segments.Observe(s => s.SurplusMicros / 1e6),
            Units.Usd, "Value of the tokens served less what was paid for them in the tick, US$");
        _switches = meter.CreateCounter<long>("marketsim.segment.switches", "{switch}", "Customers who changed provider");
        _arrivals = meter.CreateCounter<long>("marketsim.segment.arrivals", "{customer}", "Customers who entered the market");
    }

    /// <summary>Records a tick's segment figures. Called only by the run's coordinator.</summary>
    public void Record(string runId, TickObservation o)
    {
        for (var s = 0; s < o.Segments.Length; s++)
        {
            var tags = Labels.OfSegment(runId, s);
            _segments.Set(runId, tags, o.Segments[s]);
            _switches.Add(o.Segments[s].Switches, tags);
            _arrivals.Add(o.Segments[s].Arrivals, tags);
        }
    }

    /// <summary>Stops exporting a run's gauges on this silo (its coordinator deactivated).</summary>
    public void Remove(string runId) => _segments.RemoveOwner(runId);
}
