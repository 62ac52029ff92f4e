using System.Diagnostics;
using System.Diagnostics.Metrics;
using static MarketSim.Grains.Telemetry.MarketSimMeter;

namespace MarketSim.Grains.Telemetry;

/// <summary>
/// The engine's progress through a run (label run): the tick and simulated date last completed, how long ticks
/// take in wall time and how many complete per second. Recorded by the run's coordinator, which owns the clock.
/// </summary>
public sealed class EngineMetrics
{
    /// <summary>Ticks per second is measured over this much wall time.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly GaugeRows<RunClock> _runs = new();
    private readonly Histogram<double> _tickDuration;
    private readonly Counter<long> _ticks;

    public EngineMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MarketSimMeter.Name);
        meter.CreateObservableGauge("marketsim.engine.tick", () => _runs.Observe(c => c.Tick),
            "{tick}", "Last tick completed (0-based)");
        meter.CreateObservableGauge("marketsim.engine.horizon", () => _runs.Observe(c => c.Horizon),
            "{tick}", "Ticks in the run");
        meter.CreateObservableGauge("marketsim.engine.simulated_date", () => _runs.Observe(c => c.SimulatedDate),
            Units.Seconds, "Simulated date of the last tick completed, Unix time (seconds since 1970-01-01 UTC)");
        meter.CreateObservableGauge("marketsim.engine.tick_rate", () => _runs.Observe(c => c.TicksPerSecond()),
            "{tick}/s", $"Ticks completed per second of wall time over the last {RateWindow.TotalSeconds:0} s");
        _tickDuration = meter.CreateHistogram("marketsim.engine.tick_duration", Units.Seconds,
            "Wall time to run one tick through all its phases", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _ticks = meter.CreateCounter<long>("marketsim.engine.ticks", "{tick}", "Ticks completed");
    }

    /// <summary>Records a completed tick. Called only by the run's coordinator.</summary>
    public void Record(string runId, int horizon, TickObservation o, TimeSpan duration)
    {
        var tags = Labels.Of(runId);
        var clock = _runs.TryGet(tags) ?? new RunClock();
        clock.Completed(o.Tick, horizon, o.Date, duration);
        _runs.Set(runId, tags, clock);
        _tickDuration.Record(duration.TotalSeconds, tags);
        _ticks.Add(1, tags);
    }

    /// <summary>Stops exporting a run's gauges on this silo (its coordinator deactivated).</summary>
    public void Remove(string runId) => _runs.RemoveOwner(runId);

    /// <summary>A run's clock as this silo saw it: the last tick and the wall times of recent ticks.</summary>
    private sealed class RunClock
    {
        private readonly Queue<long> _recent = new();
        private long _firstStarted;

        public double Tick { get; private set; }
        public double Horizon { get; private set; }
        public double SimulatedDate { get; private set; }

        public void Completed(int tick, int horizon, DateOnly date, TimeSpan duration)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_recent)
            {
                if (_recent.Count == 0 && _firstStarted == 0) _firstStarted = now - (long)(duration.TotalSeconds * Stopwatch.Frequency);
                _recent.Enqueue(now);
                Trim(now);
            }
            Tick = tick;
            Horizon = horizon;
            SimulatedDate = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Subtract(DateTime.UnixEpoch).TotalSeconds;
        }

        /// <summary>Ticks completed in the last <see cref="RateWindow"/> divided by that window (or by the time
        /// since the first tick began, if that is shorter); falls to 0 when the run stops.</summary>
        public double TicksPerSecond()
        {
            var now = Stopwatch.GetTimestamp();
            lock (_recent)
            {
                Trim(now);
                var span = Math.Min(RateWindow.TotalSeconds, (now - _firstStarted) / (double)Stopwatch.Frequency);
                return span <= 0 ? 0 : _recent.Count / span;
            }
        }

        private void Trim(long now)
        {
            var oldest = now - (long)(RateWindow.TotalSeconds * Stopwatch.Frequency);
            while (_recent.Count > 0 && _recent.Peek() < oldest) _recent.Dequeue();
        }
    }
}
