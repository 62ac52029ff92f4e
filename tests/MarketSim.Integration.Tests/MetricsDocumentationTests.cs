using System.Text.RegularExpressions;

namespace MarketSim.Integration.Tests;

/// <summary>docs/METRICS.md lists exactly the MarketSim metrics a silo exports.</summary>
[Collection(PacedRunCollection.Name)]
public sealed partial class MetricsDocumentationTests(PacedRunFixture run)
{
    [GeneratedRegex(@"`(marketsim_[A-Za-z_]+)`")]
    private static partial Regex MetricName();

    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    [Fact]
    public async Task Every_exported_marketsim_metric_is_documented_and_every_documented_one_is_exported()
    {
        var documented = MetricName().Matches(File.ReadAllText(Repository.PathOf("docs", "METRICS.md")))
            .Select(m => m.Groups[1].Value).ToHashSet();
        var exported = (await run.Prometheus.QueryAsync("count by (__name__) ({__name__=~\"marketsim_.*\"})"))
            .Select(s => s["__name__"]).ToHashSet();
        Assert.NotEmpty(exported);

        // A histogram's series are NAME_bucket/_sum/_count; counters and histograms also have a NAME_created series
        // (OpenMetrics creation time) for a counter NAME_total.
        string Family(string name)
        {
            if (HistogramSuffixes.FirstOrDefault(name.EndsWith) is { } suffix && documented.Contains(name[..^suffix.Length]))
                return name[..^suffix.Length];
            if (name.EndsWith("_created", StringComparison.Ordinal))
            {
                var stem = name[..^"_created".Length];
                return documented.Contains(stem + "_total") ? stem + "_total" : stem;
            }
            return name;
        }

        var undocumented = exported.Select(Family).Where(n => !documented.Contains(n)).Distinct().Order().ToList();
        Assert.True(undocumented.Count == 0, "exported but not in docs/METRICS.md: " + string.Join(", ", undocumented));
        var missing = documented.Where(d => !exported.Contains(d) && !exported.Contains(d + "_bucket")).Order().ToList();
        Assert.True(missing.Count == 0, "in docs/METRICS.md but not exported: " + string.Join(", ", missing));
    }
}
