using System.Globalization;
using System.Text.Json;
using MarketSim.Cli.Output;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Cli.Reports;

/// <summary>A scenario event as the report marks it on the time axis: where it applies and what it is.</summary>
public sealed record EventMark(int Number, int Tick, DateOnly Date, string Kind, string Details);

/// <summary>
/// A finished (or interrupted) run folder read back for a report: <c>summary.json</c>, the three CSV files and the
/// events of <c>scenario.resolved.yaml</c>. A missing or malformed file is bad input (<see cref="UsageException"/>,
/// exit 2) whose message names the path and says how to fix it.
/// </summary>
public sealed class RunFolder
{
    private RunFolder(string directory, SummaryDocument summary, JsonElement summaryJson, CsvTable market, CsvTable providers, CsvTable segments,
        IReadOnlyList<EventMark> events, string? eventsNote)
    {
        Directory = directory;
        Summary = summary;
        SummaryJson = summaryJson;
        Market = market;
        Providers = providers;
        Segments = segments;
        Events = events;
        EventsNote = eventsNote;
        Dates = [.. market.Rows.Select(r => DateOnly.ParseExact(r[market.IndexOf("date")], "yyyy-MM-dd", CultureInfo.InvariantCulture))];
        Ticks = [.. market.Rows.Select(r => int.Parse(r[market.IndexOf("tick")], CultureInfo.InvariantCulture))];
    }

    private const string RunHint = "name a folder written by marketsim run or marketsim fork";
    private const string ChangedHint = RunHint + "; the file was changed after the run";

    public string Directory { get; }
    /// <summary>The folder's name: how a comparison labels the run.</summary>
    public string Name => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory)));
    public SummaryDocument Summary { get; }
    /// <summary>summary.json as written, for the exact text of its numbers.</summary>
    public JsonElement SummaryJson { get; }
    public CsvTable Market { get; }
    public CsvTable Providers { get; }
    public CsvTable Segments { get; }
    /// <summary>The scenario's events (in the order of the scenario), numbered from 1.</summary>
    public IReadOnlyList<EventMark> Events { get; }
    /// <summary>Why events are not marked (no scenario.resolved.yaml), or null.</summary>
    public string? EventsNote { get; }
    /// <summary>Date and tick of each market.csv row.</summary>
    public IReadOnlyList<DateOnly> Dates { get; }
    public IReadOnlyList<int> Ticks { get; }

    /// <summary>Provider ids: those of summary.json in its order, then any other of providers.csv.</summary>
    public IReadOnlyList<string> ProviderIds =>
        [.. Summary.Providers.Select(p => p.Id).Concat(Distinct(Providers, "provider")).Distinct(StringComparer.Ordinal)];

    /// <summary>Tiers offered in providers.csv, in order of appearance.</summary>
    public IReadOnlyList<string> TierNames => Distinct(Providers, "tier");

    /// <summary>Segments of segments.csv, in order of appearance.</summary>
    public IReadOnlyList<string> SegmentNames => Distinct(Segments, "segment");

    /// <summary>A market.csv column, one value per row (null where empty).</summary>
    public IReadOnlyList<double?> MarketColumn(string column) => Numbers(Market, column);

    /// <summary>A providers.csv column of one provider (and tier), aligned with market.csv's rows: null at ticks
    /// without a row. Without a tier, the provider's first row of each tick (provider-wide columns repeat on every
    /// tier row).</summary>
    public IReadOnlyList<double?> ProviderColumn(string provider, string column, string? tier = null) =>
        Aligned(Providers, column, r => r[Providers.IndexOf("provider")] == provider && (tier is null || r[Providers.IndexOf("tier")] == tier));

    /// <summary>A segments.csv column of one segment, aligned with market.csv's rows.</summary>
    public IReadOnlyList<double?> SegmentColumn(string segment, string column) =>
        Aligned(Segments, column, r => r[Segments.IndexOf("segment")] == segment);

    /// <summary>Row by row sums of series aligned with market.csv's rows; null where none has a value.</summary>
    public double?[] Sum(IEnumerable<IReadOnlyList<double?>> series)
    {
        var sums = new double?[Ticks.Count];
        foreach (var values in series)
            for (var r = 0; r < sums.Length; r++)
                if (values[r] is { } v) sums[r] = (sums[r] ?? 0) + v;
        return sums;
    }

    /// <summary>The per-tick sum of a money column (US$) over the rows of each tick, running total, exact
    /// (decimal): over providers.csv rows for profit, market.csv rows for consumer surplus.</summary>
    public IReadOnlyList<double?> Cumulative(CsvTable table, string column)
    {
        var rowOfTick = RowOfTick();
        var perTick = new decimal[Ticks.Count];
        var tickColumn = table.IndexOf("tick");
        var valueColumn = Index(table, column);
        var providerColumn = table.Has("provider") ? table.IndexOf("provider") : -1;
        var counted = new HashSet<(int, string)>();
        foreach (var row in table.Rows)
        {
            if (!int.TryParse(row[tickColumn], NumberStyles.None, CultureInfo.InvariantCulture, out var tick) || !rowOfTick.TryGetValue(tick, out var i)) continue;
            // providers.csv repeats a provider's figures on each of its tier rows: count each provider once a tick.
            if (providerColumn >= 0 && !counted.Add((tick, row[providerColumn]))) continue;
            if (row[valueColumn].Length == 0) continue;
            perTick[i] += decimal.TryParse(row[valueColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                : throw new UsageException($"{table.Path}: tick {tick}, column {column}: '{row[valueColumn]}' is not a number (fix: {ChangedHint})");
        }
        var total = 0m;
        return [.. perTick.Select(v => (double?)(double)(total += v))];
    }

    private IReadOnlyList<double?> Aligned(CsvTable table, string column, Func<string[], bool> select)
    {
        var rowOfTick = RowOfTick();
        var values = new double?[Ticks.Count];
        var seen = new bool[Ticks.Count];
        var tickColumn = table.IndexOf("tick");
        var valueColumn = Index(table, column);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            if (!select(row) || !int.TryParse(row[tickColumn], NumberStyles.None, CultureInfo.InvariantCulture, out var tick)
                || !rowOfTick.TryGetValue(tick, out var i) || seen[i]) continue;
            seen[i] = true;
            values[i] = Parse(table, r, valueColumn);
        }
        return values;
    }

    /// <summary>The market.csv row of each tick.</summary>
    private Dictionary<int, int> RowOfTick()
    {
        var rows = new Dictionary<int, int>();
        for (var i = 0; i < Ticks.Count; i++) rows[Ticks[i]] = i;
        return rows;
    }

    private static IReadOnlyList<double?> Numbers(CsvTable table, string column)
    {
        var c = Index(table, column);
        return [.. Enumerable.Range(0, table.Rows.Count).Select(r => Parse(table, r, c))];
    }

    private static int Index(CsvTable table, string column)
    {
        try { return table.IndexOf(column); }
        catch (FormatException e) { throw new UsageException($"{e.Message} (fix: {ChangedHint})"); }
    }

    private static double? Parse(CsvTable table, int row, int column)
    {
        try { return table.Number(row, column); }
        catch (FormatException e) { throw new UsageException($"{e.Message} (fix: {ChangedHint})"); }
    }

    private static List<string> Distinct(CsvTable table, string column)
    {
        var c = table.IndexOf(column);
        return [.. table.Rows.Select(r => r[c]).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Reads a run folder.</summary>
    /// <exception cref="UsageException">The folder or one of its files is missing or malformed.</exception>
    public static RunFolder Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new UsageException($"{directory}: run folder not found (fix: {RunHint})");
        var summaryPath = Path.Combine(directory, RunFiles.SummaryJson);
        if (!File.Exists(summaryPath))
            throw new UsageException($"{summaryPath}: not found, so {directory} is not a finished run folder (fix: {RunHint}; a run writes summary.json last, also when interrupted)");
        SummaryDocument summary;
        JsonElement json;
        try
        {
            var text = File.ReadAllText(summaryPath);
            summary = JsonSerializer.Deserialize<SummaryDocument>(text, SummaryDocument.JsonOptions)
                ?? throw new JsonException("the file holds null");
            using var doc = JsonDocument.Parse(text);
            json = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"{summaryPath}: not a run summary: {e.Message} (fix: {RunHint}, or run the scenario again: marketsim run {Path.Combine(directory, RunFiles.ResolvedScenario)})");
        }
        var market = Table(directory, RunFiles.MarketCsv, ["tick", "date"]);
        var providers = Table(directory, RunFiles.ProvidersCsv, ["tick", "provider", "tier"]);
        var segments = Table(directory, RunFiles.SegmentsCsv, ["tick", "segment"]);
        foreach (var row in market.Rows)
        {
            if (!int.TryParse(row[market.IndexOf("tick")], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                || !DateOnly.TryParseExact(row[market.IndexOf("date")], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                throw new UsageException($"{market.Path}: a row with tick '{row[market.IndexOf("tick")]}' and date '{row[market.IndexOf("date")]}' (fix: {ChangedHint})");
        }
        var (events, note) = ReadEvents(directory, summary);
        return new RunFolder(directory, summary, json, market, providers, segments, events, note);
    }

    private static CsvTable Table(string directory, string file, string[] required)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
            throw new UsageException($"{path}: not found (fix: {RunHint}; every run writes {file})");
        try
        {
            var table = CsvTable.Read(path);
            foreach (var column in required) table.IndexOf(column);
            return table;
        }
        catch (FormatException e)
        {
            throw new UsageException($"{e.Message} (fix: {ChangedHint})");
        }
    }

    /// <summary>Reads the events of scenario.resolved.yaml without the scenario loader, so that events of kinds this
    /// version does not know (and their fields) are still marked.</summary>
    private static (IReadOnlyList<EventMark>, string?) ReadEvents(string directory, SummaryDocument summary)
    {
        var path = Path.Combine(directory, RunFiles.ResolvedScenario);
        if (!File.Exists(path)) return ([], $"{RunFiles.ResolvedScenario} not found: events are not marked");
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new UsageException($"{path}:{e.Start.Line}:{e.Start.Column}: not YAML: {e.Message} (fix: restore the file the run wrote, or run the scenario again)");
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("events"), out var node) || node is not YamlSequenceNode list)
            return ([], null);
        var marks = new List<EventMark>();
        foreach (var item in list.Children.OfType<YamlMappingNode>())
        {
            string? Text(YamlMappingNode m, string key) =>
                m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
            var kind = Text(item, "kind") ?? "event";
            int tick;
            if (int.TryParse(Text(item, "tick"), NumberStyles.None, CultureInfo.InvariantCulture, out var t)) tick = t;
            else if (DateOnly.TryParseExact(Text(item, "at"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                tick = (int)Math.Floor((at.DayNumber - summary.StartDate.DayNumber) / (double)summary.TickDays);
            else tick = 0;
            var details = new List<string>();
            var provider = Text(item, "provider");
            var model = Text(item, "model");
            if (provider is not null || model is not null) details.Add(string.Join('/', new[] { provider, model }.Where(x => x is not null)));
            foreach (var (key, label) in new[] { ("gpu", "gpu"), ("segment", "segment"), ("strategy", "strategy"), ("factor", "factor"), ("fraction", "fraction"), ("days", "days") })
                if (Text(item, key) is { } v) details.Add($"{label} {v}");
            foreach (var nested in new[] { "entrant", "newGpu" })
                if (item.Children.TryGetValue(new YamlScalarNode(nested), out var n) && n is YamlMappingNode m && Text(m, "id") is { } id)
                    details.Add($"{nested} {id}");
            marks.Add(new EventMark(marks.Count + 1, tick, summary.StartDate.AddDays(tick * summary.TickDays), kind, string.Join(", ", details)));
        }
        return (marks, null);
    }
}
