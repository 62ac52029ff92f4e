using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarketSim.Cli.Output;

namespace MarketSim.Cli.Reports;

/// <summary>
/// report.html of one run folder: a header with the summary (scenario, seed, engine, dates, fingerprint, price
/// index per tier, providers, market totals, events) and the charts one would otherwise draw in a notebook, inline
/// SVG, no scripts. Every number shown is a value of summary.json or of the run's CSV files.
/// </summary>
public static partial class RunReport
{
    public const string FileName = "report.html";

    /// <summary>Reads a run folder and writes its report.html (or <paramref name="path"/>); returns the path written.</summary>
    /// <exception cref="UsageException">The folder is missing or malformed.</exception>
    public static string Write(string runDirectory, string? path = null)
    {
        var run = RunFolder.Load(runDirectory);
        path ??= Path.Combine(runDirectory, FileName);
        RunFiles.WriteAtomically(path, Build(run));
        return path;
    }

    public static string Build(RunFolder run)
    {
        var s = run.Summary;
        var page = new HtmlPage($"{s.Scenario}: MarketSim run");
        page.Element("h1", s.Scenario);
        var status = s.Completed ? "completed" : $"stopped after {s.TicksDone} of {s.Ticks} ticks";
        page.Element("p", $"engine {s.Engine}, seed {s.Seed}, {status}; {FirstDate(run):yyyy-MM-dd} .. {s.EndDate:yyyy-MM-dd}, {s.TicksDone} ticks of {s.TickDays} day(s)", "sub");
        if (!s.Completed)
            page.Element("p", $"This run did not complete{(s.Error is null ? "" : $" ({s.Error})")}: the figures cover the ticks it did.", "warn");
        if (s.ForkedFrom is not null)
            page.Element("p", $"A fork of {s.ForkedFrom} at tick {s.At}: its files, and so this report, cover the ticks from {s.At} on.", "sub");

        page.Raw("<div class=\"tables\">").Table(RunTable(run)).Table(PriceTable(run)).Table(TotalsTable(run)).Raw("</div>");
        page.Table(ProviderTable(run));
        page.Table(EventTable(run));
        if (run.EventsNote is not null) page.Element("p", run.EventsNote, "sub");

        page.Element("h2", "Over time");
        if (run.Dates.Count == 0)
        {
            page.Element("p", "No tick was done: market.csv has no rows, so there is nothing to draw.", "warn");
            return page.ToString();
        }
        page.Element("p", "Dotted vertical lines mark the scenario's events, numbered as in the table of events.", "sub");
        foreach (var chart in Charts(run)) page.Raw(chart);
        return page.ToString();
    }

    private static HtmlTable RunTable(RunFolder run)
    {
        var s = run.Summary;
        var t = new HtmlTable("Run", "", "");
        t.Row("scenario").Text("scenario").Text(s.Scenario);
        if (s.ScenarioFile is not null) t.Row("scenarioFile").Text("scenario file").Text(s.ScenarioFile);
        t.Row("seed").Text("seed").Number(s.Seed.ToString(CultureInfo.InvariantCulture), Raw(run, "seed"), "seed", left: true);
        t.Row("engine").Text("engine").Text(s.Engine);
        if (s.ForkedFrom is not null) t.Row("startDate").Text("scenario start").Text($"{s.StartDate:yyyy-MM-dd}");
        t.Row("firstDate").Text("first date").Text($"{FirstDate(run):yyyy-MM-dd}");
        t.Row("endDate").Text("last date").Text(s.EndDate is { } e ? $"{e:yyyy-MM-dd}" : "-");
        t.Row("ticksDone").Text("ticks done / horizon").Text($"{s.TicksDone} / {s.Ticks} of {s.TickDays} day(s)");
        t.Row("completed").Text("completed").Text(s.Completed ? "yes" : "no");
        if (s.ForkedFrom is not null) t.Row("forkedFrom").Text("forked from").Text($"{s.ForkedFrom} at tick {s.At}");
        t.Row("fingerprint").Text("fingerprint").Text(s.Fingerprint ?? "-");
        return t;
    }

    private static HtmlTable PriceTable(RunFolder run)
    {
        var t = new HtmlTable("Price index, US$ per million tokens", "tier", "start", "end", "change");
        foreach (var (tier, v) in run.Summary.PriceIndex)
            t.Row(tier).Text(tier)
                .Number(SummaryTable.Price(v.Start), Raw(run, "priceIndex", tier, "start"), $"priceIndex.{tier}.start")
                .Number(SummaryTable.Price(v.End), Raw(run, "priceIndex", tier, "end"), $"priceIndex.{tier}.end")
                .Number(SummaryTable.Change(v.Start, v.End), null, $"priceIndex.{tier}.change");
        return t;
    }

    private static HtmlTable TotalsTable(RunFolder run)
    {
        var x = run.Summary.Totals;
        var n = x.Negotiations;
        var t = new HtmlTable("Market over the run", "", "");
        t.Row("consumerSurplusUsd").Text("consumer surplus").Number(Usd(x.ConsumerSurplusUsd), Raw(run, "totals", "consumerSurplusUsd"), "totals.consumerSurplusUsd");
        t.Row("spendUsd").Text("customer spend").Number(Usd(x.SpendUsd), Raw(run, "totals", "spendUsd"), "totals.spendUsd");
        t.Row("tokensServed").Text("tokens served").Number(SummaryTable.Tokens(x.TokensServed), Raw(run, "totals", "tokensServed"), "totals.tokensServed");
        t.Row("hhi").Text("HHI start / end").Number(
            $"{run.Summary.Hhi.Start?.ToString("0", CultureInfo.InvariantCulture) ?? "-"} / {run.Summary.Hhi.End?.ToString("0", CultureInfo.InvariantCulture) ?? "-"}", null, "hhi");
        t.Row("entriesExits").Text("entries / exits").Number($"{x.Entries} / {x.Exits}", null, "totals.entries/exits");
        t.Row("switches").Text("switches").Number(x.Switches.ToString("N0", CultureInfo.InvariantCulture), Raw(run, "totals", "switches"), "totals.switches");
        t.Row("negotiations").Text("negotiations accepted / agreed / failed / no capacity")
            .Number(string.Join(" / ", new[] { n.Accepted, n.Agreed, n.Failed, n.RejectedCapacity }.Select(v => v.ToString("N0", CultureInfo.InvariantCulture))), null, "totals.negotiations");
        return t;
    }

    private static HtmlTable ProviderTable(RunFolder run)
    {
        var t = new HtmlTable("Providers: shares at the last tick, money over the run", "provider", "name", "token share", "revenue share", "revenue",
            "profit", "cash at end", "entered", "exited");
        for (var i = 0; i < run.Summary.Providers.Count; i++)
        {
            var p = run.Summary.Providers[i];
            string F(string field) => $"providers.{p.Id}.{field}";
            string? R(string field) => Raw(run, "providers", i.ToString(CultureInfo.InvariantCulture), field);
            t.Row(p.Id).Text(p.Id).Text(p.Name ?? "")
                .Number(SummaryTable.Share(p.TokenShare), R("tokenShare"), F("tokenShare"))
                .Number(SummaryTable.Share(p.RevenueShare), R("revenueShare"), F("revenueShare"))
                .Number(Usd(p.RevenueUsd), R("revenueUsd"), F("revenueUsd"))
                .Number(Usd(p.ProfitUsd), R("profitUsd"), F("profitUsd"))
                .Number(Usd(p.CashUsd), R("cashUsd"), F("cashUsd"))
                .Number(p.EnteredTick is { } e ? $"tick {e}" : "never", R("enteredTick"), F("enteredTick"))
                .Number(p.ExitedTick is { } x ? $"tick {x}" : "-", R("exitedTick"), F("exitedTick"));
        }
        return t;
    }

    private static HtmlTable EventTable(RunFolder run)
    {
        var t = new HtmlTable("Events of the scenario", "#", "date", "tick", "kind", "details");
        if (run.Events.Count == 0) t.Row().Text("none").Text("").Text("").Text("").Text("");
        foreach (var e in run.Events)
            t.Row($"event-{e.Number}").Text(e.Number.ToString(CultureInfo.InvariantCulture)).Text($"{e.Date:yyyy-MM-dd}")
                .Number(e.Tick.ToString(CultureInfo.InvariantCulture), e.Tick.ToString(CultureInfo.InvariantCulture), $"events.{e.Number}.tick")
                .Text(e.Kind).Text(e.Details);
        return t;
    }

    /// <summary>The charts of a run, each as an HTML figure.</summary>
    public static List<string> Charts(RunFolder run)
    {
        var dates = run.Dates;
        var n = dates.Count;
        TimeChart Chart(string id, string title, string yLabel, YScale scale = YScale.Linear) =>
            new TimeChart(id, title, yLabel, scale).SampleFor(n);
        var charts = new List<string>();
        var providers = run.ProviderIds;

        var prices = Chart("price-index", "Price index per tier (log scale)", "US$ per million tokens", YScale.Log);
        var tiers = run.Market.Header.Where(h => h.StartsWith("price_index_", StringComparison.Ordinal)).ToList();
        for (var i = 0; i < tiers.Count; i++) prices.Line(tiers[i]["price_index_".Length..], dates, run.MarketColumn(tiers[i]), i);
        charts.Add(prices.Events(run.Events, dates).Note("market.csv price_index_<tier>: the volume-weighted price paid; a gap where nothing of the tier was sold.").ToHtml());

        charts.Add(CapabilityPrice(run));

        foreach (var (id, column, title) in new[] { ("token-shares", "share_tokens", "Token shares per provider"), ("revenue-shares", "share_revenue", "Revenue shares per provider") })
            charts.Add(Chart(id, title + " (stacked)", "share of the market")
                .StackedAreas(dates, [.. providers.Select((p, i) => (p, i, run.ProviderColumn(p, column)))])
                .Events(run.Events, dates).Note($"providers.csv {column} at each tick, stacked.").ToHtml());

        foreach (var tier in run.TierNames)
        {
            var chart = Chart($"cost-price-{tier}", $"{tier}: list price (solid) and unit cost (dashed) per provider (log scale)", "US$ per million tokens", YScale.Log);
            for (var i = 0; i < providers.Count; i++)
            {
                var list = run.ProviderColumn(providers[i], "list_price", tier);
                if (list.All(v => v is null)) continue;
                chart.Line(providers[i], dates, list, i).Line(null, dates, run.ProviderColumn(providers[i], "unit_cost", tier), i, dashed: true);
            }
            charts.Add(chart.Events(run.Events, dates).Note($"providers.csv list_price and unit_cost of the {tier} tier.").ToHtml());
        }

        var cash = Chart("cash", "Cash per provider (x: exit)", "US$");
        for (var i = 0; i < providers.Count; i++)
        {
            var series = run.ProviderColumn(providers[i], "cash_usd");
            cash.Line(providers[i], dates, series, i);
            if (run.Summary.Providers.FirstOrDefault(p => p.Id == providers[i])?.ExitedTick is { } exit && IndexOf(run.Ticks, exit) is { } row && series[row] is { } c)
                cash.Mark(dates[row], c, $"{providers[i]} exits", i);
        }
        charts.Add(cash.Events(run.Events, dates).Note("providers.csv cash_usd; exits at the exit tick of summary.json.").ToHtml());

        charts.Add(ServedVersusWanted(run, Chart("served-wanted", "Served versus wanted tokens per tick", "tokens")));

        var segments = run.SegmentNames;
        foreach (var (id, column, title) in new[] { ("segment-spend", "spend_usd", "Spend per segment per tick"), ("segment-surplus", "consumer_surplus_usd", "Consumer surplus per segment per tick") })
        {
            var chart = Chart(id, title, "US$");
            for (var i = 0; i < segments.Count; i++) chart.Line(segments[i], dates, run.SegmentColumn(segments[i], column), i);
            charts.Add(chart.Events(run.Events, dates).Note($"segments.csv {column}.").ToHtml());
        }

        var negotiations = Chart("negotiations", "Negotiation outcomes per tick", "negotiations");
        var outcomes = run.Market.Header.Where(h => h.StartsWith("negotiations_", StringComparison.Ordinal)).ToList();
        for (var i = 0; i < outcomes.Count; i++) negotiations.Line(outcomes[i]["negotiations_".Length..], dates, run.MarketColumn(outcomes[i]), i);
        charts.Add(negotiations.Events(run.Events, dates).Note("market.csv negotiations_<outcome>.").ToHtml());
        return charts;
    }

    /// <summary>market.csv capability_price_&lt;label&gt;_listed / _bought: one line per label and kind.</summary>
    private static string CapabilityPrice(RunFolder run)
    {
        const string Title = "Capability price (log scale)";
        var columns = run.Market.Header.Select(h => (Column: h, Match: CapabilityColumn().Match(h))).Where(x => x.Match.Success).ToList();
        if (columns.Count == 0)
            return TimeChart.Absent("capability-price", Title, "Not in this run: market.csv has no capability_price_<label>_listed or _bought columns.");
        var chart = new TimeChart("capability-price", Title, "US$ per million tokens", YScale.Log).SampleFor(run.Dates.Count);
        var labels = columns.Select(c => c.Match.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (column, match) in columns)
        {
            var kind = match.Groups[2].Value;
            chart.Line($"{match.Groups[1].Value} {kind}", run.Dates, run.MarketColumn(column), labels.IndexOf(match.Groups[1].Value), dashed: kind == "bought");
        }
        return chart.Events(run.Events, run.Dates).Note("market.csv capability_price_<label>_listed (solid) and _bought (dashed).").ToHtml();
    }

    private static string ServedVersusWanted(RunFolder run, TimeChart chart)
    {
        var market = new[] { "wanted_tokens", "served_tokens", "lost_tokens" }.Where(run.Market.Has).ToList();
        if (market.Count > 0)
        {
            for (var i = 0; i < market.Count; i++) chart.Line(market[i].Replace("_tokens", "", StringComparison.Ordinal), run.Dates, run.MarketColumn(market[i]), i);
            return chart.Events(run.Events, run.Dates).Note($"market.csv {string.Join(", ", market)}.").ToHtml();
        }
        var segments = run.SegmentNames;
        foreach (var (column, i) in new[] { ("demand_tokens", 0), ("served_tokens", 1) })
            chart.Line(column == "demand_tokens" ? "wanted (demand)" : "served", run.Dates, run.Sum(segments.Select(s => run.SegmentColumn(s, column))), i);
        return chart.Events(run.Events, run.Dates)
            .Note("market.csv has no wanted_tokens/served_tokens/lost_tokens columns: segments.csv demand_tokens and served_tokens summed over segments.").ToHtml();
    }

    /// <summary>The date of the first tick in the files (a fork's first tick is its fork tick).</summary>
    private static DateOnly FirstDate(RunFolder run) => run.Dates.Count > 0 ? run.Dates[0] : run.Summary.StartDate;

    private static int? IndexOf(IReadOnlyList<int> ticks, int tick)
    {
        for (var i = 0; i < ticks.Count; i++) if (ticks[i] == tick) return i;
        return null;
    }

    /// <summary>US$ of summary.json as the summary table shows them (k, M, bn).</summary>
    internal static string Usd(decimal usd) => SummaryTable.Usd((long)(usd * 1_000_000m));

    /// <summary>The text of a number in summary.json at a path (an array index as a number), or null when it is not a number.</summary>
    private static string? Raw(RunFolder run, params string[] path)
    {
        var e = run.SummaryJson;
        foreach (var key in path)
        {
            if (e.ValueKind == JsonValueKind.Array && int.TryParse(key, CultureInfo.InvariantCulture, out var i) && i < e.GetArrayLength()) e = e[i];
            else if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var next)) e = next;
            else return null;
        }
        return e.ValueKind == JsonValueKind.Number ? e.GetRawText() : null;
    }

    [GeneratedRegex("^capability_price_(.+)_(listed|bought)$")]
    private static partial Regex CapabilityColumn();
}
