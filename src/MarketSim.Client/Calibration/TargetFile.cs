using System.Globalization;
using nietras.SeparatedValues;

namespace MarketSim.Client.Calibration;

/// <summary>One observation of a target file: its line, date, series, value, weight and source (free text).</summary>
public sealed record TargetRow(int Line, DateOnly Date, TargetSeries Series, double Value, double Weight, string Source);

/// <summary>A problem with a target file: where (file and line, 0 for the file as a whole), what, and the fix.</summary>
public sealed record TargetProblem(string File, int Line, string Message, string Fix)
{
    /// <summary>"file:line: message (fix: ...)", every control character (from a hostile file) written as \uXXXX.</summary>
    public override string ToString() =>
        ScenarioProblem.Printable(Line > 0 ? $"{File}:{Line}: {Message} (fix: {Fix})" : $"{File}: {Message} (fix: {Fix})");
}

/// <summary>
/// The observed series a calibration fits: a CSV with the header <c>date,series,value</c> and optionally
/// <c>weight</c> (default 1) and <c>source</c> (where the figure comes from). Every row is checked against the
/// scenario: a known series (<see cref="TargetSeries"/>), a date inside the run, a value the series can take.
/// </summary>
public static class TargetFile
{
    public static readonly string[] Required = ["date", "series", "value"];
    public static readonly string[] Optional = ["weight", "source"];

    /// <summary>The rows of <paramref name="text"/> (read from <paramref name="file"/>) for a run of
    /// <paramref name="setup"/>, or every problem found.</summary>
    public static (IReadOnlyList<TargetRow> Rows, IReadOnlyList<TargetProblem> Problems) Parse(string text, string file, MarketSetup setup)
    {
        var rows = new List<TargetRow>();
        var problems = new List<TargetProblem>();
        var first = setup.Start;
        var last = setup.DateOf(setup.Scenario.Ticks - 1);
        var header = string.Join(',', Required.Concat(Optional));
        if (text.Trim().Length == 0)
            return ([], [new TargetProblem(file, 0, "the file is empty", $"write a header line '{header}' and one row per observation")]);
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true }).FromText(text);
        var names = reader.Header.ColNames;
        var missing = Required.Where(r => !names.Contains(r)).ToList();
        var unknown = names.Where(n => !Required.Contains(n) && !Optional.Contains(n)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            var what = missing.Count > 0 ? $"the header lacks {string.Join(", ", missing)}" : $"unknown column {string.Join(", ", unknown.Select(u => $"'{u}'"))}";
            return ([], [new TargetProblem(file, 1, what, $"the header is '{header}' (weight and source may be left out)")]);
        }
        var hasWeight = names.Contains("weight");
        var hasSource = names.Contains("source");
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            if (row.ColCount < names.Count)
            {
                problems.Add(new TargetProblem(file, line, $"{row.ColCount} fields, the header has {names.Count}", $"give each row {header}"));
                continue;
            }
            var dateText = row["date"].ToString();
            var seriesText = row["series"].ToString();
            var valueText = row["value"].ToString();
            var weightText = hasWeight ? row["weight"].ToString() : "";
            var source = hasSource ? row["source"].ToString() : "";
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                problems.Add(new TargetProblem(file, line, $"date '{dateText}' is not a date", "write it yyyy-MM-dd, e.g. 2024-05-13"));
                continue;
            }
            if (date < first || date > last)
            {
                problems.Add(new TargetProblem(file, line, $"date {dateText} is outside the run ({first:yyyy-MM-dd} to {last:yyyy-MM-dd})",
                    date < first ? "drop the row, or give a scenario that starts earlier" : "drop the row, or run longer (--ticks N or --set ticks=N)"));
                continue;
            }
            var (series, seriesProblem) = TargetSeries.Parse(seriesText, setup);
            if (series is null)
            {
                problems.Add(new TargetProblem(file, line, seriesProblem!, $"use one of {string.Join(", ", TargetSeries.Vocabulary)} with a name the scenario has"));
                continue;
            }
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                problems.Add(new TargetProblem(file, line, $"value '{valueText}' is not a number", "write a number with a point for decimals, e.g. 0.25 or 4.8e14"));
                continue;
            }
            if (series.CheckObserved(value) is { } valueProblem)
            {
                problems.Add(new TargetProblem(file, line, $"value {valueText} of {series.Name} {valueProblem}", "correct the value or drop the row"));
                continue;
            }
            var weight = 1.0;
            if (weightText.Length > 0 && !(double.TryParse(weightText, NumberStyles.Float, CultureInfo.InvariantCulture, out weight) && weight >= 0 && double.IsFinite(weight)))
            {
                problems.Add(new TargetProblem(file, line, $"weight '{weightText}' is not a number of 0 or more", "leave it empty for 1, or give a number such as 0.5"));
                continue;
            }
            rows.Add(new TargetRow(line, date, series, value, weight, source));
        }
        if (problems.Count == 0 && rows.Count == 0)
            problems.Add(new TargetProblem(file, 0, "the file has no observations", $"add rows under the header '{header}'"));
        if (problems.Count == 0 && rows.All(r => r.Weight == 0))
            problems.Add(new TargetProblem(file, 0, "every row has weight 0", "give at least one row a positive weight"));
        foreach (var dup in rows.GroupBy(r => (r.Date, r.Series.Name)).Where(g => g.Count() > 1))
            problems.Add(new TargetProblem(file, dup.Skip(1).First().Line, $"{dup.Key.Name} on {dup.Key.Date:yyyy-MM-dd} is given twice (first on line {dup.First().Line})",
                "keep one row per series and date"));
        return problems.Count > 0 ? ([], problems) : (rows, []);
    }
}
