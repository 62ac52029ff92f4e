using System.Globalization;
using System.Net;
using System.Text;
using MarketSim.Cli.Output;

namespace MarketSim.Cli.Experiments;

/// <summary>report.html: a self-contained page (charts embedded as data URIs) with the question, the set-up, the
/// comparison table and, per metric, which variant is highest and whether the 95 % intervals overlap.</summary>
public static class Report
{
    public const string FileName = "report.html";

    public static void Write(string directory, Experiment experiment, IReadOnlyList<ComparisonRow> rows, IReadOnlyList<string> charts,
        IReadOnlyList<string> failures)
    {
        var h = new StringBuilder();
        static string E(string s) => WebUtility.HtmlEncode(s);
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(experiment.Name)).Append("</title><style>")
         .Append("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
         .Append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
         .Append("th{background:#f3f3f3}td.l,th.l{text-align:left}.win{background:#e8f5e9;font-weight:600}.q{font-size:1.3em;background:#f7f7ff;padding:.6em;border-left:4px solid #55f}")
         .Append(".clear{color:#1b5e20}.unclear{color:#8d6e00}.fail{color:#b00020}img{max-width:100%;border:1px solid #eee;margin:.5em 0}code{background:#f3f3f3;padding:1px 3px}")
         .Append("</style></head><body>");
        h.Append("<h1>").Append(E(experiment.Name)).Append("</h1>");
        if (experiment.Question is { } q) h.Append("<p class=\"q\">").Append(E(q)).Append("</p>");
        h.Append("<p>Base scenario <code>").Append(E(Path.GetFileName(experiment.ScenarioPath))).Append("</code>");
        if (experiment.CommonOverrides.Count > 0) h.Append(" with <code>").Append(E(string.Join(" ", experiment.CommonOverrides))).Append("</code>");
        h.Append(string.Create(CultureInfo.InvariantCulture, $"; {experiment.Variants.Count} variants × {experiment.Replications} replications, root seed {experiment.Seed} "))
         .Append("(replication <i>r</i> uses the same seed in every variant: common random numbers). Intervals are 95 % t intervals of the mean over replications.</p>");
        h.Append("<table><tr><th class=\"l\">variant</th><th class=\"l\">overrides</th></tr>");
        foreach (var v in experiment.Variants)
            h.Append("<tr><td class=\"l\">").Append(E(v.Name)).Append("</td><td class=\"l\"><code>").Append(E(v.Overrides.Count == 0 ? "(none: the base scenario)" : string.Join(" ", v.Overrides))).Append("</code></td></tr>");
        h.Append("</table>");

        h.Append("<h2>Answer, metric by metric</h2><ul>");
        foreach (var metric in experiment.Metrics)
        {
            var verdict = Comparison.Highest(rows.Where(r => r.Metric == metric));
            h.Append("<li><b>").Append(E(metric)).Append("</b>: ");
            if (verdict is not { } x) { h.Append("no finished runs</li>"); continue; }
            h.Append("highest in <b>").Append(E(x.Best.Variant)).Append("</b> (").Append(E(Comparison.Format(x.Best.Estimate!.Mean, metric))).Append(')');
            if (x.Second is { } s)
            {
                h.Append(", then ").Append(E(s.Variant)).Append(" (").Append(E(Comparison.Format(s.Estimate!.Mean, metric))).Append("): ");
                h.Append(x.Overlap
                    ? "<span class=\"unclear\">the 95 % intervals overlap: no clear difference with these replications</span>"
                    : "<span class=\"clear\">the 95 % intervals do not overlap: a clear difference</span>");
            }
            h.Append("</li>");
        }
        h.Append("</ul>");

        h.Append("<h2>Comparison</h2><table><tr><th class=\"l\">metric</th><th class=\"l\">variant</th><th>mean</th><th>sd</th><th>95 % CI</th><th>n</th><th>failed</th></tr>");
        foreach (var group in rows.GroupBy(r => r.Metric))
        {
            var best = Comparison.Highest(group)?.Best;
            foreach (var r in group)
            {
                var e = r.Estimate;
                h.Append(r == best ? "<tr class=\"win\">" : "<tr>")
                 .Append("<td class=\"l\">").Append(E(r.Metric)).Append("</td><td class=\"l\">").Append(E(r.Variant)).Append("</td><td>")
                 .Append(e is null ? "-" : E(Comparison.Format(e.Mean, r.Metric))).Append("</td><td>")
                 .Append(e is null || double.IsNaN(e.Sd) ? "-" : E(Comparison.Format(e.Sd, r.Metric))).Append("</td><td>")
                 .Append(e is null || double.IsNaN(e.Ci95Low) ? "-" : E($"{Comparison.Format(e.Ci95Low, r.Metric)} .. {Comparison.Format(e.Ci95High, r.Metric)}")).Append("</td><td>")
                 .Append(e?.N ?? 0).Append("</td><td").Append(r.Failed > 0 ? " class=\"fail\">" : ">").Append(r.Failed).Append("</td></tr>");
            }
        }
        h.Append("</table>");
        if (failures.Count > 0)
        {
            h.Append("<h2 class=\"fail\">Failed runs</h2><ul>");
            foreach (var f in failures) h.Append("<li class=\"fail\">").Append(E(f)).Append("</li>");
            h.Append("</ul>");
        }
        h.Append("<h2>Over time</h2><p>Mean across replications with the 95 % band; files in <code>charts/</code>.</p>");
        foreach (var chart in charts)
        {
            var bytes = File.ReadAllBytes(Path.Combine(directory, "charts", chart));
            h.Append("<img alt=\"").Append(E(chart)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(bytes)).Append("\">");
        }
        h.Append("<p>Per-run files: <code>runs/&lt;variant&gt;/&lt;replication&gt;/</code>; the table as <code>comparison.csv</code> and <code>comparison.parquet</code>.</p></body></html>\n");
        RunFiles.WriteAtomically(Path.Combine(directory, FileName), h.ToString());
    }
}
