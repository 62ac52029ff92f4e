using System.Globalization;

namespace MarketSim.Model.Scenarios;

/// <summary>What a run would need, estimated before it starts: its memory (the agents' state and the observations
/// an engine keeps) and its time (a fixed cost per tick, per provider and tick, and per customer and tick).</summary>
/// <param name="Ticks">The run's horizon.</param>
/// <param name="Customers">Customers at the end (all of them; the engine holds the state of those not yet arrived).</param>
/// <param name="Providers">Providers, entrants included.</param>
public sealed record RunEstimate(long Ticks, long Customers, int Providers)
{
    /// <summary>Customers times ticks: the measure of a run's work.</summary>
    public double CustomerTicks => (double)Customers * Ticks;

    /// <summary>Estimated seconds of one run on one core of the measured 2-core machine (docs/PERFORMANCE.md).</summary>
    public double Seconds => Ticks * (RunBudget.SecondsPerTick + Providers * RunBudget.SecondsPerProviderTick
        + Customers * RunBudget.SecondsPerCustomerTick);

    /// <summary>Estimated peak bytes: the process, the customers' and providers' state, and the window of observations
    /// the engines keep (the ticks since the last checkpoint on a cluster; files and summaries stream).</summary>
    public double Bytes => RunBudget.BaseBytes + Customers * (double)RunBudget.BytesPerCustomer + Providers * (double)RunBudget.BytesPerProvider
        + Math.Min(Ticks, RunBudget.KeptObservations) * (RunBudget.BytesPerObservation + Providers * (double)RunBudget.BytesPerProviderObservation);
}

/// <summary>
/// The run length limit: a run is refused only when its <see cref="RunEstimate"/> exceeds the scenario's budget
/// (<c>engine.maxRunHours</c>, <c>engine.maxMemoryGb</c>), with a message naming what it would need and how to fit,
/// and the calendar: a tick is <c>tickDays</c> days from <c>start</c>, and the last tick must fall by 9999-12-31.
/// The costs are the measured ones of docs/PERFORMANCE.md, rounded up: about 250 ns of processor time per
/// customer-tick at 100k to 1M customers, a fixed cost per tick of the phases and the kernel, and per provider.
/// </summary>
public static class RunBudget
{
    /// <summary>Fixed cost of a tick (phases, kernel, observation, the CLI's summary), seconds.</summary>
    public const double SecondsPerTick = 20e-6;

    /// <summary>Cost of a provider in a tick (planning, deciding, settling, its share of the observation), seconds.</summary>
    public const double SecondsPerProviderTick = 20e-6;

    /// <summary>Cost of a customer in a tick (negotiating, demand, consumption), seconds: 250 ns.</summary>
    public const double SecondsPerCustomerTick = 250e-9;

    /// <summary>The process (runtime, engine, embedded cluster): 256 MiB.</summary>
    public const long BaseBytes = 256L << 20;

    /// <summary>State of one customer, bytes (peak RSS per customer was 450 to 600 B at 1M customers; 1 KiB leaves room).</summary>
    public const long BytesPerCustomer = 1024;

    /// <summary>State of one provider (fleet, models, orders, learner), bytes.</summary>
    public const long BytesPerProvider = 64 << 10;

    /// <summary>Observations an engine keeps at most: the Orleans engine's log between checkpoints, a client's batch.</summary>
    public const long KeptObservations = 4096;

    /// <summary>An observation without its providers, bytes.</summary>
    public const long BytesPerObservation = 2048;

    /// <summary>A provider's part of an observation, bytes.</summary>
    public const long BytesPerProviderObservation = 1024;

    /// <summary>Default of <c>engine.maxRunHours</c>: the largest run of the limits before (2,000,000 customers for 3650
    /// ticks, about 38 minutes by this estimate) fits.</summary>
    public const double DefaultMaxRunHours = 1;

    /// <summary>Default of <c>engine.maxMemoryGb</c>.</summary>
    public const double DefaultMaxMemoryGb = 8;

    /// <summary>The most ticks a scenario may name (the schema's bound); the calendar and the budget decide below it.</summary>
    public const int MaxTicks = 3_000_000;

    /// <summary>Days from <paramref name="start"/> to the calendar's last day, 9999-12-31, counting both.</summary>
    public static long DaysLeftInCalendar(DateOnly start) => (long)DateOnly.MaxValue.DayNumber - start.DayNumber + 1;

    /// <summary>The problem with a run's horizon against the calendar, or null: ticks of tickDays days from start must
    /// end by 9999-12-31.</summary>
    public static (string Message, string Hint)? CalendarProblem(DateOnly start, long ticks, long tickDays)
    {
        var left = DaysLeftInCalendar(start);
        if (ticks * tickDays <= left) return null;
        return (Invariant($"{ticks:N0} ticks of {tickDays} day(s) from {start:yyyy-MM-dd} would end after 9999-12-31, the calendar's last day"),
            Invariant($"at most {left / tickDays:N0} ticks from this start; or move start earlier (from {ScenarioLimits.FirstDate:yyyy-MM-dd}); a tick is tickDays days on the calendar"));
    }

    /// <summary>The problem with a run's estimate against the budget, or null.</summary>
    public static (string Message, string Hint)? BudgetProblem(RunEstimate estimate, double maxRunHours, double maxMemoryGb)
    {
        var memoryLimit = maxMemoryGb * (1L << 30);
        if (estimate.Bytes > memoryLimit)
        {
            var perTick = estimate.Bytes - estimate.Customers * (double)BytesPerCustomer;
            var customers = Math.Max(0, (long)((memoryLimit - perTick) / BytesPerCustomer));
            return (Invariant($"the run would need about {Gb(estimate.Bytes)} GB of memory ({estimate.Customers:N0} customers, {estimate.Providers} providers), more than engine.maxMemoryGb = {maxMemoryGb} GB"),
                Invariant($"at most about {customers:N0} customers fit; or raise engine.maxMemoryGb if the machine has the memory"));
        }
        var hours = estimate.Seconds / 3600;
        if (hours > maxRunHours)
        {
            var perTick = estimate.Seconds / estimate.Ticks;
            var ticks = (long)(maxRunHours * 3600 / perTick);
            return (Invariant($"the run would take about {Duration(estimate.Seconds)} ({estimate.Ticks:N0} ticks x {estimate.Customers:N0} customers = {estimate.CustomerTicks:0.0e0} customer-ticks at {SecondsPerCustomerTick * 1e9:0} ns each, {estimate.Providers} providers), more than engine.maxRunHours = {maxRunHours} h"),
                Invariant($"at most about {ticks:N0} ticks fit with these customers; or fewer customers (customers.count), or raise engine.maxRunHours (e.g. --set engine.maxRunHours={Math.Ceiling(hours)})"));
        }
        return null;
    }

    private static string Gb(double bytes) => (bytes / (1L << 30)).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>"3.6 hours", "12 minutes", "40 seconds".</summary>
    public static string Duration(double seconds) => seconds switch
    {
        >= 7200 => Invariant($"{seconds / 3600:0.0} hours"),
        >= 120 => Invariant($"{seconds / 60:0} minutes"),
        _ => Invariant($"{seconds:0} seconds"),
    };

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
