using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarketSim.Cli.Output;
using MarketSim.Cli.Reports;
using SkiaSharp;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests;

/// <summary>A real run of the small scenario (reference engine, 45 ticks, two events) with its report, and a
/// screenshot of the report in headless Chromium.</summary>
public sealed class ReportedRun : IAsyncLifetime
{
    public const int Ticks = 45;
    public string Directory { get; } = Path.Combine(TempDirectory(), "small");
    public string Html { get; private set; } = "";
    public string Screenshot => Path.Combine(Directory, "report.png");
    public JsonElement Summary { get; private set; }
    public List<Dictionary<string, string>> Market { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var result = await RunAsync("run", RepoFile("config", "scenarios", "small.yaml"), "--engine", "reference",
            "--ticks", Ticks.ToString(CultureInfo.InvariantCulture), "--out", Directory, "--quiet");
        Assert.True(result.ExitCode == 0, result.Err);
        Html = await File.ReadAllTextAsync(Path.Combine(Directory, "report.html"));
        Summary = ReadJson(Path.Combine(Directory, "summary.json"));
        Market = ReadCsv(Path.Combine(Directory, "market.csv"));
        await HeadlessChromium.ScreenshotAsync(Path.Combine(Directory, "report.html"), Screenshot, 1200, 3000);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed partial class ReportTests(ReportedRun run) : IClassFixture<ReportedRun>
{
    public static readonly string[] RunCharts =
    [
        "price-index", "token-shares", "revenue-shares", "cost-price-frontier", "cost-price-mid", "cost-price-small", "cash",
        "served-wanted", "segment-spend", "segment-surplus", "negotiations",
    ];

    [Fact]
    public void The_report_is_one_self_contained_page()
    {
        Assert.StartsWith("<!DOCTYPE html>", run.Html);
        Assert.DoesNotContain("<script", run.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", run.Html);
        Assert.DoesNotContain("<img", run.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_chart_is_there_with_a_drawn_path_per_series()
    {
        var charts = Charts(run.Html);
        foreach (var id in RunCharts)
        {
            Assert.True(charts.TryGetValue(id, out var chart), $"chart {id} missing");
            Assert.True(chart.Series > 0, $"chart {id} has no series");
            Assert.True(DataPaths(chart.Body) >= chart.Series, $"chart {id}: {DataPaths(chart.Body)} data paths for {chart.Series} series");
        }
        Assert.Equal(3, DataPaths(charts["price-index"].Body));
    }

    [Fact]
    public async Task Without_capability_price_columns_the_chart_says_not_in_this_run()
    {
        // A run folder written before the market reported capability prices: the columns removed.
        var copy = CopyOfRun();
        var path = Path.Combine(copy, "market.csv");
        var rows = (await File.ReadAllLinesAsync(path)).Select(l => l.Split(',')).ToList();
        var keep = Enumerable.Range(0, rows[0].Length).Where(i => !rows[0][i].StartsWith("capability_price_", StringComparison.Ordinal)).ToArray();
        Assert.True(keep.Length < rows[0].Length, "the run has no capability columns to remove");
        await File.WriteAllLinesAsync(path, rows.Select(r => string.Join(',', keep.Select(i => r[i]))));
        var result = await RunAsync("report", copy);
        Assert.True(result.ExitCode == 0, result.Err);
        var chart = Charts(await File.ReadAllTextAsync(Path.Combine(copy, "report.html")))["capability-price"];
        Assert.Equal(0, chart.Series);
        Assert.Contains("Not in this run", chart.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_scenario_events_are_listed_and_marked_on_the_time_axis()
    {
        Assert.Contains("<tr data-key=\"event-1\">", run.Html, StringComparison.Ordinal);
        Assert.Matches("<tr data-key=\"event-1\">.*?2023-03-21.*?price-cut.*?host", run.Html);
        Assert.Matches("<tr data-key=\"event-2\">.*?2023-04-10.*?gpu-price-shock.*?gpu H100", run.Html);
        // Two dotted event lines (drawn as dashes filled in the event colour) on the price chart.
        Assert.Equal(2, Regex.Count(Charts(run.Html)["price-index"].Body, "<path fill=\"#555\""));
    }

    [Fact]
    public void Header_numbers_equal_summary_json_and_market_csv()
    {
        var cells = NumberCells().Where(c => c.Value is not null).ToList();
        Assert.True(cells.Count >= 20, $"only {cells.Count} numeric cells");
        Assert.Contains(cells, c => c.Field == "seed");
        foreach (var (field, value, shown) in cells)
        {
            var expected = SummaryNumber(field);
            Assert.True(expected is not null, $"no number in summary.json for {field}");
            Assert.Equal(expected!.Value.GetRawText(), value);
        }
        var first = run.Market[0];
        var last = run.Market[^1];
        foreach (var tier in new[] { "frontier", "mid", "small" })
        {
            var start = Cell($"priceIndex.{tier}.start");
            var end = Cell($"priceIndex.{tier}.end");
            Assert.Equal(Real(first[$"price_index_{tier}"]), Real(start.Value!));
            Assert.Equal(Real(last[$"price_index_{tier}"]), Real(end.Value!));
            Assert.Equal(SummaryTable.Price(Real(start.Value!)), start.Shown);
            Assert.Equal(SummaryTable.Change(Real(start.Value!), Real(end.Value!)), Cell($"priceIndex.{tier}.change").Shown);
        }
        foreach (var p in run.Summary.GetProperty("providers").EnumerateArray())
        {
            var id = p.GetProperty("id").GetString();
            Assert.Equal(SummaryTable.Usd((long)(p.GetProperty("profitUsd").GetDecimal() * 1_000_000m)), Cell($"providers.{id}.profitUsd").Shown);
            Assert.Equal(SummaryTable.Share(p.GetProperty("tokenShare").GetDouble()), Cell($"providers.{id}.tokenShare").Shown);
        }
        Assert.Contains(run.Summary.GetProperty("fingerprint").GetString()!, run.Html, StringComparison.Ordinal);
        Assert.Equal(SummaryTable.Tokens(run.Summary.GetProperty("totals").GetProperty("tokensServed").GetInt64()), Cell("totals.tokensServed").Shown);
    }

    [Fact]
    public void The_screenshot_shows_the_charts_in_their_colours()
    {
        using var bitmap = SKBitmap.Decode(run.Screenshot);
        Assert.NotNull(bitmap);
        var colours = new HashSet<SKColor>();
        var palette = TimeChart.PaletteHex.Take(3).Select(h => SKColor.Parse(h)).ToList();
        var seen = new bool[palette.Count];
        for (var y = 0; y < bitmap.Height; y += 2)
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add(c);
                for (var i = 0; i < palette.Count; i++)
                    if (Math.Abs(c.Red - palette[i].Red) + Math.Abs(c.Green - palette[i].Green) + Math.Abs(c.Blue - palette[i].Blue) < 30) seen[i] = true;
            }
        Assert.True(colours.Count > 50, $"the screenshot has {colours.Count} colours: blank?");
        Assert.All(seen, Assert.True);
    }

    [Fact]
    public async Task Report_command_rewrites_the_same_page()
    {
        var copy = CopyOfRun();
        File.Delete(Path.Combine(copy, "report.html"));
        var result = await RunAsync("report", copy);
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal(run.Html, await File.ReadAllTextAsync(Path.Combine(copy, "report.html")));
    }

    [Fact]
    public async Task The_capability_and_served_columns_of_the_run_are_drawn()
    {
        var copy = CopyOfRun();
        var header = (await File.ReadAllLinesAsync(Path.Combine(copy, "market.csv")))[0].Split(',');
        var capability = header.Count(h => h.StartsWith("capability_price_", StringComparison.Ordinal));
        Assert.True(capability >= 2, "the run reports no capability prices");
        var charts = Charts(await File.ReadAllTextAsync(Path.Combine(copy, "report.html")));
        Assert.Equal(capability, charts["capability-price"].Series);
        Assert.True(DataPaths(charts["capability-price"].Body) >= capability);
        Assert.Equal(3, charts["served-wanted"].Series);
        Assert.Contains("market.csv wanted_tokens, served_tokens, lost_tokens", charts["served-wanted"].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_exit_is_marked_on_the_cash_chart()
    {
        var dir = Path.Combine(TempDirectory(), "exit");
        var result = await RunAsync("run", RepoFile("config", "scenarios", "small.yaml"), "--engine", "reference", "--ticks", "20", "--out", dir, "--quiet",
            "--set", "providers.host.cash=30000", "--set", "providers.host.funding.rounds=0", "--set", "providers.host.fixedCostPerDay=5000");
        Assert.True(result.ExitCode == 0, result.Err);
        var exit = ReadJson(Path.Combine(dir, "summary.json")).GetProperty("providers")[1].GetProperty("exitedTick").GetInt32();
        var html = await File.ReadAllTextAsync(Path.Combine(dir, "report.html"));
        Assert.Contains("host exits", Charts(html)["cash"].Body, StringComparison.Ordinal);
        Assert.Matches($"<tr data-key=\"host\">.*?data-field=\"providers.host.exitedTick\" data-value=\"{exit}\">tick {exit}<", html);
    }

    [Fact]
    public async Task Events_of_kinds_this_version_does_not_know_are_labelled_with_provider_and_model()
    {
        var copy = CopyOfRun();
        var yaml = await File.ReadAllTextAsync(Path.Combine(copy, "scenario.resolved.yaml"));
        yaml = yaml.Replace("events:\n", "events:\n- at: 2023-03-11\n  kind: model-release\n  provider: lab\n  model: lab-next\n- tick: 30\n  kind: model-retirement\n  provider: host\n  model: host-8b\n", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(copy, "scenario.resolved.yaml"), yaml);
        var result = await RunAsync("report", copy);
        Assert.True(result.ExitCode == 0, result.Err);
        var html = await File.ReadAllTextAsync(Path.Combine(copy, "report.html"));
        Assert.Matches("<tr data-key=\"event-1\">.*?2023-03-11.*?>10<.*?model-release.*?lab/lab-next", html);
        Assert.Matches("<tr data-key=\"event-2\">.*?2023-03-31.*?>30<.*?model-retirement.*?host/host-8b", html);
        Assert.Equal(4, Regex.Count(Charts(html)["price-index"].Body, "<path fill=\"#555\""));
    }

    [Fact]
    public async Task Compare_writes_a_report_overlaying_the_runs()
    {
        var other = Path.Combine(TempDirectory(), "war");
        var made = await RunAsync("run", RepoFile("config", "scenarios", "small.yaml"), "--engine", "reference", "--ticks", "30",
            "--set", "providers.cloud.strategy=undercut", "--out", other, "--quiet", "--no-report");
        Assert.True(made.ExitCode == 0, made.Err);
        Assert.False(File.Exists(Path.Combine(other, "report.html")));
        var outDir = TempDirectory();
        var result = await RunAsync("compare", run.Directory, other, "--out", outDir, "--provider", "host", "--provider", "cloud");
        Assert.True(result.ExitCode == 0, result.Err);
        var html = await File.ReadAllTextAsync(Path.Combine(outDir, "report.html"));
        var charts = Charts(html);
        foreach (var id in new[] { "price-index-frontier", "price-index-mid", "price-index-small", "provider-share", "total-profit", "consumer-surplus" })
        {
            Assert.True(charts.TryGetValue(id, out var chart), $"chart {id} missing");
            Assert.Equal(2, chart.Series);
            Assert.True(DataPaths(chart.Body) >= 2, $"chart {id}");
        }
        Assert.Contains("Token share of host + cloud", html, StringComparison.Ordinal);
        var summary = ReadJson(Path.Combine(other, "summary.json"));
        var profit = summary.GetProperty("providers").EnumerateArray().Sum(p => p.GetProperty("profitUsd").GetDecimal());
        Assert.Contains($"data-value=\"{profit.ToString(CultureInfo.InvariantCulture)}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_with_an_unknown_provider_exits_2()
    {
        var result = await RunAsync("compare", run.Directory, "--out", TempDirectory(), "--provider", "nobody");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--provider nobody: no run has this provider (fix: one of lab, host, cloud)", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-folder")]
    [InlineData("no-summary")]
    [InlineData("bad-summary")]
    [InlineData("no-market")]
    [InlineData("bad-number")]
    [InlineData("bad-yaml")]
    public async Task Missing_or_malformed_run_folders_exit_2_with_the_path_and_a_fix(string damage)
    {
        var copy = CopyOfRun();
        var path = damage switch
        {
            "missing-folder" => Path.Combine(copy, "nothing-here"),
            "no-summary" => Path.Combine(copy, "summary.json"),
            "bad-summary" => Path.Combine(copy, "summary.json"),
            "no-market" => Path.Combine(copy, "market.csv"),
            "bad-number" => Path.Combine(copy, "providers.csv"),
            _ => Path.Combine(copy, "scenario.resolved.yaml"),
        };
        var target = copy;
        switch (damage)
        {
            case "missing-folder": target = path; break;
            case "no-summary" or "no-market": File.Delete(path); break;
            case "bad-summary": await File.WriteAllTextAsync(path, "{\"completed\": tru"); break;
            case "bad-number":
                var lines = await File.ReadAllLinesAsync(path);
                var fields = lines[1].Split(',');
                fields[Array.IndexOf(lines[0].Split(','), "cash_usd")] = "lots";
                lines[1] = string.Join(',', fields);
                await File.WriteAllLinesAsync(path, lines);
                break;
            default: await File.WriteAllTextAsync(path, "events: [ {tick: 3"); break;
        }
        File.Delete(Path.Combine(copy, "report.html"));
        var result = await RunAsync("report", target);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(path, result.Err, StringComparison.Ordinal);
        Assert.Contains("(fix: ", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(copy, "report.html")));
    }

    [Fact]
    public void Long_series_draw_every_kth_row_with_the_first_and_last()
    {
        var rows = TimeChart.SampledRows(1095, 2);
        Assert.Equal(0, rows[0]);
        Assert.Equal(1094, rows[^1]);
        Assert.Equal(548, rows.Count);
        Assert.Equal([0, 2, 4, 6], TimeChart.SampledRows(7, 2));
        Assert.Equal([0, 3, 6, 9], TimeChart.SampledRows(10, 3));
        Assert.Equal([0, 1, 2], TimeChart.SampledRows(3, 1));
    }

    /// <summary>A copy of the run's files in a new folder, to change or rewrite.</summary>
    private string CopyOfRun()
    {
        var copy = Path.Combine(TempDirectory(), "run");
        System.IO.Directory.CreateDirectory(copy);
        foreach (var file in System.IO.Directory.GetFiles(run.Directory)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    private sealed record Chart(int Series, string Body);

    private static Dictionary<string, Chart> Charts(string html) =>
        FigurePattern().Matches(html).ToDictionary(m => m.Groups[1].Value, m => new Chart(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value));

    /// <summary>Paths drawn in a series colour through three points or more: lines and areas of data (a legend
    /// swatch is one segment).</summary>
    private static int DataPaths(string svg) =>
        PathPattern().Matches(svg).Count(m => TimeChart.PaletteHex.Any(h => m.Value.Contains($"\"{h}\"", StringComparison.Ordinal))
            && m.Groups[1].Value.Count(c => c == 'L') >= 2);

    private IEnumerable<(string Field, string? Value, string Shown)> NumberCells() =>
        CellPattern().Matches(run.Html).Select(m => (WebUtility.HtmlDecode(m.Groups[1].Value),
            m.Groups[2].Success ? WebUtility.HtmlDecode(m.Groups[2].Value) : null, WebUtility.HtmlDecode(m.Groups[3].Value)));

    private (string? Value, string Shown) Cell(string field)
    {
        var cell = NumberCells().Single(c => c.Field == field);
        return (cell.Value, cell.Shown);
    }

    /// <summary>The number of summary.json a header cell names: seed, priceIndex.tier.start, totals.x, providers.id.x, events.n.tick.</summary>
    private JsonElement? SummaryNumber(string field)
    {
        var parts = field.Split('.');
        if (parts[0] == "events") return JsonDocument.Parse(parts[1] == "1" ? "20" : "40").RootElement;
        var e = run.Summary;
        if (parts[0] == "providers")
        {
            e = e.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == parts[1]);
            parts = parts[2..];
        }
        foreach (var part in parts)
            if (!e.TryGetProperty(part, out e)) return null;
        return e.ValueKind == JsonValueKind.Number ? e : null;
    }

    [GeneratedRegex("<figure class=\"chart[^\"]*\" id=\"chart-([^\"]+)\" data-series=\"(\\d+)\">(.*?)</figure>", RegexOptions.Singleline)]
    private static partial Regex FigurePattern();

    [GeneratedRegex("<path [^>]*\\bd=\"([^\"]*)\"[^>]*>")]
    private static partial Regex PathPattern();

    [GeneratedRegex("<td (?:class=\"l\" )?data-field=\"([^\"]*)\"(?: data-value=\"([^\"]*)\")?>([^<]*)</td>")]
    private static partial Regex CellPattern();
}
