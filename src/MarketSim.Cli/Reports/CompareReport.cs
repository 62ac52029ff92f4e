using System.Globalization;
using MarketSim.Cli.Output;

namespace MarketSim.Cli.Reports;

/// <summary>
/// report.html of <c>marketsim compare</c>: the compared runs overlaid on a common date axis (a fork starts at its
/// fork date): price index per tier, the combined token share of a chosen set of providers, total profit and
/// consumer surplus over time, with a table of each run's summary figures.
/// </summary>
public static class CompareReport
{
    public const string FileName = "report.html";

    /// <summary>A compared run and its label.</summary>
    public sealed record Entry(string Label, RunFolder Run);

    /// <summary>The providers a comparison follows by default: the one with the largest token share at the end of
    /// the first run.</summary>
    public static IReadOnlyList<string> DefaultProviders(IReadOnlyList<Entry> runs) =>
        runs.Count == 0 || runs[0].Run.Summary.Providers.Count == 0 ? []
            : [runs[0].Run.Summary.Providers.MaxBy(p => p.TokenShare)!.Id];

    /// <summary>Writes the comparison's report.html into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(string directory, IReadOnlyList<Entry> runs, IReadOnlyList<string> providers)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        RunFiles.WriteAtomically(path, Build(runs, providers));
        return path;
    }

    public static string Build(IReadOnlyList<Entry> runs, IReadOnlyList<string> providers)
    {
        var set = string.Join(" + ", providers);
        var page = new HtmlPage("MarketSim comparison");
        page.Element("h1", "Comparison of " + string.Join(", ", runs.Select(r => r.Label)));
        page.Element("p", $"{runs.Count} runs on one date axis (a fork starts at its fork date). The share charts follow {set}; " +
            "choose others with --provider ID. The comparison table of means and intervals is comparison.csv.", "sub");

        var tiers = runs.SelectMany(r => r.Run.Summary.PriceIndex.Keys).Distinct(StringComparer.Ordinal).ToList();
        var table = new HtmlTable("Runs", ["run", "scenario", "engine", "seed", "dates", "ticks", .. tiers.Select(t => $"{t} index at end"),
            "total profit", "consumer surplus", $"token share of {set} at end", "fingerprint (start)"]);
        foreach (var (label, run) in runs)
        {
            var s = run.Summary;
            table.Row(label).Text(label).Text(s.Scenario).Text(s.Engine).Text(s.Seed.ToString(CultureInfo.InvariantCulture))
                .Text($"{s.StartDate:yyyy-MM-dd} .. {s.EndDate:yyyy-MM-dd}{(s.ForkedFrom is null ? "" : $" (fork at tick {s.At})")}")
                .Number(s.TicksDone.ToString(CultureInfo.InvariantCulture), s.TicksDone.ToString(CultureInfo.InvariantCulture), "ticksDone");
            foreach (var t in tiers)
            {
                var end = s.PriceIndex.TryGetValue(t, out var v) ? v.End : null;
                table.Number(SummaryTable.Price(end), end?.ToString("R", CultureInfo.InvariantCulture), $"priceIndex.{t}.end");
            }
            var profit = s.Providers.Sum(p => p.ProfitUsd);
            var share = s.Providers.Where(p => providers.Contains(p.Id)).Sum(p => p.TokenShare);
            table.Number(RunReport.Usd(profit), profit.ToString(CultureInfo.InvariantCulture), "providers.profitUsd (sum)")
                .Number(RunReport.Usd(s.Totals.ConsumerSurplusUsd), s.Totals.ConsumerSurplusUsd.ToString(CultureInfo.InvariantCulture), "totals.consumerSurplusUsd")
                .Number(SummaryTable.Share(share), share.ToString("R", CultureInfo.InvariantCulture), "providers.tokenShare (sum)")
                .Text(s.Fingerprint is { } f ? f[..Math.Min(12, f.Length)] : "-");
        }
        page.Raw("<div class=\"wide\">").Table(table).Raw("</div>");
        page.Element("h2", "Over time");
        var longest = runs.Max(r => r.Run.Dates.Count);
        TimeChart Chart(string id, string title, string yLabel, YScale scale = YScale.Linear) => new TimeChart(id, title, yLabel, scale).SampleFor(longest);

        foreach (var tier in tiers)
        {
            var chart = Chart($"price-index-{tier}", $"{tier} price index (log scale)", "US$ per million tokens", YScale.Log);
            for (var i = 0; i < runs.Count; i++)
                if (runs[i].Run.Market.Has($"price_index_{tier}")) chart.Line(runs[i].Label, runs[i].Run.Dates, runs[i].Run.MarketColumn($"price_index_{tier}"), i);
            page.Raw(chart.Note($"market.csv price_index_{tier} of each run.").ToHtml());
        }

        var shares = Chart("provider-share", $"Token share of {set}", "share of the market");
        for (var i = 0; i < runs.Count; i++) shares.Line(runs[i].Label, runs[i].Run.Dates, runs[i].Run.Sum(providers.Select(p => runs[i].Run.ProviderColumn(p, "share_tokens"))), i);
        page.Raw(shares.Note($"providers.csv share_tokens of {set}, summed at each tick.").ToHtml());

        var profits = Chart("total-profit", "Total profit of all providers, cumulative", "US$");
        for (var i = 0; i < runs.Count; i++) profits.Line(runs[i].Label, runs[i].Run.Dates, runs[i].Run.Cumulative(runs[i].Run.Providers, "profit_usd"), i);
        page.Raw(profits.Note("providers.csv profit_usd summed over providers and ticks (a fork from its fork tick); the last point is the run's total profit.").ToHtml());

        var surplus = Chart("consumer-surplus", "Consumer surplus, cumulative", "US$");
        for (var i = 0; i < runs.Count; i++) surplus.Line(runs[i].Label, runs[i].Run.Dates, runs[i].Run.Cumulative(runs[i].Run.Market, "consumer_surplus_usd"), i);
        page.Raw(surplus.Note("market.csv consumer_surplus_usd summed over ticks; the last point is summary.json's consumer surplus.").ToHtml());
        return page.ToString();
    }
}
