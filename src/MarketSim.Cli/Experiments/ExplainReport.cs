using System.Globalization;
using MarketSim.Cli.Commands;
using MarketSim.Cli.Reports;
using MarketSim.Client;

namespace MarketSim.Cli.Experiments;

/// <summary>report.html of <c>marketsim explain</c>: the set-up, the table of shares per series and the waterfall
/// charts (embedded as data URIs), self-contained.</summary>
public static class ExplainReport
{
    public const string FileName = "report.html";

    public static void Write(string directory, string name, ExplainOptions options, Explanation explanation, IReadOnlyList<string> charts, TimeSpan elapsed)
    {
        var page = new HtmlPage($"{name}: what caused the price change");
        var setup = FormattableString.Invariant(
            $"Metric {options.Metric}: ln(end / start) of each series, start and end each the mean of {options.Window} tick(s) at that end. Levers {string.Join(", ", explanation.Levers)}: {1 << explanation.Levers.Count} combinations × {options.Seeds} seeds with common random numbers ({explanation.Runs.Count} runs, {options.Engine} engine, {elapsed.TotalSeconds:0} s). ");
        page.Element("h1", $"{name}: what caused the price change")
            .Element("p", setup +
                "Each lever's value is its exact Shapley value over the combinations (interactions shared between the levers); " +
                "residual is the change with every lever off (docs/MODEL.md section 16), total with every lever on; residual + levers = total in every seed. " +
                "Intervals are 95 % t intervals of the mean over seeds.", "sub");
        var table = new HtmlTable("Shares of the log price change", "series", "component", "log change", "95 % CI", "share", "95 % CI", "n");
        foreach (var r in explanation.Rows)
        {
            table.Row($"{r.Series}/{r.Component}").Text(r.Series).Text(r.Component)
                .Number(ExplainFiles.Show(r.LogChange?.Mean, "0.000"), R(r.LogChange?.Mean), "log_change_mean")
                .Number(ExplainFiles.Interval(r.LogChange, "0.000"), null, "log_change_ci95")
                .Number(ExplainFiles.Show(r.Share?.Mean, "0.0%"), R(r.Share?.Mean), "share_mean")
                .Number(ExplainFiles.Interval(r.Share, "0.0%"), null, "share_ci95")
                .Number((r.LogChange?.N ?? 0).ToString(CultureInfo.InvariantCulture), null, "n");
        }
        page.Table(table);
        foreach (var chart in charts)
        {
            var bytes = File.ReadAllBytes(Path.Combine(directory, "charts", chart));
            page.Raw($"<figure class=\"chart\"><img alt=\"{HtmlPage.E(chart)}\" style=\"max-width:100%\" src=\"data:image/png;base64,{Convert.ToBase64String(bytes)}\"><figcaption>{HtmlPage.E(chart)}</figcaption></figure>");
        }
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path + ".tmp", page.ToString());
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static string? R(double? x) => x is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : null;
}
