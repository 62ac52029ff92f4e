using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MarketSim.Grains.Telemetry;

/// <summary>
/// The latest values behind a set of observable gauges on this silo, one row per label set (run, provider,
/// tier, ...). The grain that owns the state sets its rows each tick and removes them when it deactivates, so
/// a value is exported by the silo that hosts its grain and by no other: when a grain moves, the old silo
/// stops exporting it.
/// </summary>
public sealed class GaugeRows<TValues>
{
    private readonly ConcurrentDictionary<RowKey, Row> _rows = new();

    private sealed record Row(string Owner, KeyValuePair<string, object?>[] Tags, TValues Values);

    /// <summary>Sets the row of <paramref name="tags"/>, owned by <paramref name="owner"/> (a grain's identity).</summary>
    public void Set(string owner, KeyValuePair<string, object?>[] tags, TValues values) =>
        _rows[KeyOf(tags)] = new Row(owner, tags, values);

    /// <summary>The values of the row of <paramref name="tags"/>, if there is one.</summary>
    public TValues? TryGet(KeyValuePair<string, object?>[] tags) => _rows.TryGetValue(KeyOf(tags), out var row) ? row.Values : default;

    /// <summary>Removes the row of <paramref name="tags"/> if there is one.</summary>
    public void Remove(KeyValuePair<string, object?>[] tags) => _rows.TryRemove(KeyOf(tags), out _);

    /// <summary>Removes every row an owner set.</summary>
    public void RemoveOwner(string owner)
    {
        foreach (var (key, row) in _rows)
            if (row.Owner == owner) _rows.TryRemove(key, out _);
    }

    public int Count => _rows.Count;

    /// <summary>One measurement per row whose selected value is a finite number.</summary>
    public IEnumerable<Measurement<double>> Observe(Func<TValues, double> select)
    {
        foreach (var row in _rows.Values)
        {
            var v = select(row.Values);
            if (double.IsFinite(v)) yield return new Measurement<double>(v, row.Tags);
        }
    }

    /// <summary>A row's identity: its label values in order (a set of gauges always has the same label names in the
    /// same order), compared without building a string, since rows are set every tick.</summary>
    private readonly record struct RowKey(object? A, object? B, object? C, object? D);

    private static RowKey KeyOf(KeyValuePair<string, object?>[] tags) => tags.Length switch
    {
        1 => new(tags[0].Value, null, null, null),
        2 => new(tags[0].Value, tags[1].Value, null, null),
        3 => new(tags[0].Value, tags[1].Value, tags[2].Value, null),
        4 => new(tags[0].Value, tags[1].Value, tags[2].Value, tags[3].Value),
        _ => throw new ArgumentException($"a gauge row has 1 to 4 labels, not {tags.Length}", nameof(tags)),
    };
}

/// <summary>Label names and label sets shared by the metric classes. No label ever carries a customer id.</summary>
public static class Labels
{
    public const string Run = "run";
    public const string Provider = "provider";
    public const string Tier = "tier";
    public const string Segment = "segment";
    public const string Outcome = "outcome";
    public const string Level = "level";
    public const string Kind = "kind";
    /// <summary>Values of <see cref="Kind"/> for a capability price.</summary>
    public const string Listed = "listed";
    public const string Bought = "bought";

    public static KeyValuePair<string, object?>[] Of(string run) => [new(Run, run)];

    public static KeyValuePair<string, object?>[] Of(string run, string provider) => [new(Run, run), new(Provider, provider)];

    public static KeyValuePair<string, object?>[] Of(string run, string provider, int tier) =>
        [new(Run, run), new(Provider, provider), new(Tier, Tiers.Names[tier])];

    public static KeyValuePair<string, object?>[] OfTier(string run, int tier) => [new(Run, run), new(Tier, Tiers.Names[tier])];

    public static KeyValuePair<string, object?>[] OfCapability(string run, string level, string kind) =>
        [new(Run, run), new(Level, level), new(Kind, kind)];

    public static KeyValuePair<string, object?>[] OfSegment(string run, int segment) =>
        [new(Run, run), new(Segment, Segments.Names[segment])];
}
