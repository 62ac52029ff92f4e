using System.Globalization;
using System.Text;
using MarketSim.Cli.Output;

namespace MarketSim.Cli.Experiments;

/// <summary>One row of comparison.csv: a metric of a variant over its finished replications.</summary>
public sealed record ComparisonRow(string Variant, string Metric, Estimate? Estimate, int Failed);

/// <summary>A group of finished run folders compared as one variant (a sweep variant's replications, or one run).</summary>
public sealed record RunGroup(string Name, IReadOnlyList<string> RunDirectories, int Failed = 0);

/// <summary>comparison.csv and comparison.parquet: per variant and metric, mean, sd, 95 % t interval and n.</summary>
public static class Comparison
{
    public const string CsvName = "comparison.csv";
    public const string ParquetName = "comparison.parquet";

    public static List<ComparisonRow> Compute(IReadOnlyList<RunGroup> groups, IReadOnlyList<string> metrics) =>
        [.. groups.SelectMany(g => metrics.Select(m =>
        {
            var values = g.RunDirectories.Select(d => MetricVocabulary.Compute(m, d)).Where(v => v is not null).Select(v => v!.Value).ToList();
            return new ComparisonRow(g.Name, m, Estimate.Of(values), g.Failed);
        }))];

    public static string ToCsv(IEnumerable<ComparisonRow> rows)
    {
        var text = new StringBuilder("variant,metric,mean,sd,ci95_low,ci95_high,n,failed\n");
        foreach (var r in rows)
        {
            var e = r.Estimate;
            text.Append(Field(r.Variant)).Append(',').Append(Field(r.Metric)).Append(',')
                .Append(Num(e?.Mean)).Append(',').Append(Num(e?.Sd)).Append(',').Append(Num(e?.Ci95Low)).Append(',').Append(Num(e?.Ci95High)).Append(',')
                .Append((e?.N ?? 0).ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Failed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    public static async Task WriteAsync(string directory, IReadOnlyList<ComparisonRow> rows)
    {
        Directory.CreateDirectory(directory);
        var csv = Path.Combine(directory, CsvName);
        RunFiles.WriteAtomically(csv, ToCsv(rows));
        await ParquetFiles.FromCsvAsync(csv, Path.Combine(directory, ParquetName));
    }

    private static string Num(double? x) => x is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Field(string s) => s.AsSpan().IndexOfAny(",\"\n") >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    /// <summary>Human form of a metric value: money with thousands separators, shares and indexes with 4 digits.</summary>
    public static string Format(double x, string metric) =>
        metric.Contains("usd", StringComparison.Ordinal) ? x.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(x) >= 1000 ? x.ToString("#,0.#", CultureInfo.InvariantCulture)
        : x.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Which variant has the highest mean (or lowest, for metrics where less is better to the reader is
    /// not assumed: the report says "highest"), and whether its interval overlaps the runner-up's.</summary>
    public static (ComparisonRow Best, ComparisonRow? Second, bool Overlap)? Highest(IEnumerable<ComparisonRow> rowsOfMetric)
    {
        var ranked = rowsOfMetric.Where(r => r.Estimate is not null).OrderByDescending(r => r.Estimate!.Mean).ToList();
        if (ranked.Count == 0) return null;
        if (ranked.Count == 1) return (ranked[0], null, false);
        var overlap = ranked[0].Estimate!.Overlaps(ranked[1].Estimate!) || double.IsNaN(ranked[0].Estimate!.Ci95Low);
        return (ranked[0], ranked[1], overlap);
    }
}
