using System.Globalization;
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

    /// <summary>The columns of comparison.csv.</summary>
    public static readonly Column[] Columns =
    [
        Column.Text("variant"), Column.Text("metric"), Column.Real("mean"), Column.Real("sd"), Column.Real("ci95_low"),
        Column.Real("ci95_high"), Column.Int("n"), Column.Int("failed"),
    ];

    /// <summary>Writes comparison.csv (through a temporary file and a rename) and comparison.parquet.</summary>
    public static async Task WriteAsync(string directory, IReadOnlyList<ComparisonRow> rows)
    {
        Directory.CreateDirectory(directory);
        var csv = Path.Combine(directory, CsvName);
        var temp = csv + ".tmp";
        TableRows typed;
        using (var file = new CsvFile(temp, Columns, keepRows: true))
        {
            foreach (var r in rows)
            {
                var e = r.Estimate;
                file.Text(r.Variant).Text(r.Metric).Real(e?.Mean).Real(e?.Sd).Real(e?.Ci95Low).Real(e?.Ci95High)
                    .Int(e?.N ?? 0).Int(r.Failed).EndRow();
            }
            typed = file.Rows!;
        }
        File.Move(temp, csv, overwrite: true);
        await ParquetFiles.WriteAsync(typed, Path.Combine(directory, ParquetName));
    }

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
