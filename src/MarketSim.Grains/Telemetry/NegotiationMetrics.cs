using System.Diagnostics.Metrics;
using MarketSim.Model.Economics;

namespace MarketSim.Grains.Telemetry;

/// <summary>Negotiations of a run by outcome, and how many rounds they took (labels run, outcome), counted by
/// the coordinator from the tick's negotiation totals (see <see cref="NegotiationStats"/>).</summary>
public sealed class NegotiationMetrics
{
    /// <summary>Label values of <see cref="NegotiationOutcome"/>, by its value.</summary>
    public static readonly string[] OutcomeNames = ["accepted", "agreed", "failed", "rejected_capacity"];

    private readonly Counter<long> _outcomes;
    private readonly Histogram<int> _rounds;

    public NegotiationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MarketSimMeter.Name);
        _outcomes = meter.CreateCounter<long>("marketsim.negotiation.outcomes", "{negotiation}",
            "Negotiations by outcome: accepted (first offer), agreed (after counter-offers), failed, rejected_capacity");
        _rounds = meter.CreateHistogram("marketsim.negotiation.rounds", "{round}",
            "Offers and counter-offers a negotiation took", tags: null,
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [.. Enumerable.Range(1, NegotiationStats.MaxRounds)] });
    }

    /// <summary>Records a tick's negotiations. Called only by the run's coordinator.</summary>
    public void Record(string runId, TickObservation o)
    {
        for (var i = 0; i < NegotiationStats.Outcomes; i++)
            _outcomes.Add(o.Negotiations[i], new KeyValuePair<string, object?>(Labels.Run, runId),
                new KeyValuePair<string, object?>(Labels.Outcome, OutcomeNames[i]));
        var run = new KeyValuePair<string, object?>(Labels.Run, runId);
        for (var r = 1; r <= NegotiationStats.MaxRounds; r++)
        {
            var count = o.Negotiations[NegotiationStats.Outcomes + r - 1];
            for (long k = 0; k < count; k++) _rounds.Record(r, run);
        }
    }
}
