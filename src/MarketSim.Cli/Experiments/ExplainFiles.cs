using System.Globalization;
using MarketSim.Cli.Output;
using MarketSim.Client;

namespace MarketSim.Cli.Experiments;

/// <summary>explain.csv and explain.parquet (one row per series and component: each lever's Shapley value of the log
/// change, the residual with every lever off and the total with every lever on, with estimates over seeds) and
/// explain-runs.csv (every run: combination, seed, series, start and end values and their log change).</summary>
public static class ExplainFiles
{
    public const string CsvName = "explain.csv";
    public const string ParquetName = "explain.parquet";
    public const string RunsCsvName = "explain-runs.csv";

    public static readonly Column[] Columns =
    [
        Column.Text("series"), Column.Text("component"), Column.Real("log_change_mean"), Column.Real("log_change_sd"),
        Column.Real("log_change_ci95_low"), Column.Real("log_change_ci95_high"), Column.Real("share_mean"), Column.Real("share_ci95_low"),
        Column.Real("share_ci95_high"), Column.Int("n"), Column.Real("sum_check"),
    ];

    public static readonly Column[] RunColumns =
    [
        Column.Text("combination"), Column.Int("replication"), Column.Text("seed"), Column.Text("series"), Column.Int("start_tick"),
        Column.Real("start"), Column.Int("end_tick"), Column.Real("end"), Column.Real("log_change"),
    ];

    public static async Task WriteAsync(string directory, Explanation explanation)
    {
        Directory.CreateDirectory(directory);
        var csv = Path.Combine(directory, CsvName);
        TableRows typed;
        using (var file = new CsvFile(csv + ".tmp", Columns, keepRows: true))
        {
            foreach (var r in explanation.Rows)
                file.Text(r.Series).Text(r.Component).Real(r.LogChange?.Mean).Real(r.LogChange?.Sd).Real(r.LogChange?.Ci95Low).Real(r.LogChange?.Ci95High)
                    .Real(r.Share?.Mean).Real(r.Share?.Ci95Low).Real(r.Share?.Ci95High).Int(r.LogChange?.N ?? 0).Real(r.SumCheck).EndRow();
            typed = file.Rows!;
        }
        File.Move(csv + ".tmp", csv, overwrite: true);
        await ParquetFiles.WriteAsync(typed, Path.Combine(directory, ParquetName));

        var runs = Path.Combine(directory, RunsCsvName);
        using (var file = new CsvFile(runs + ".tmp", RunColumns))
            foreach (var run in explanation.Runs)
                for (var s = 0; s < explanation.Series.Count; s++)
                {
                    var c = run.Changes[s];
                    file.Text(run.Combination).Int(run.Replication).Text(run.Seed.ToString(CultureInfo.InvariantCulture)).Text(explanation.Series[s])
                        .Int(c?.StartTick).Real(c?.Start).Int(c?.EndTick).Real(c?.End).Real(c?.LogChange).EndRow();
                }
        File.Move(runs + ".tmp", runs, overwrite: true);
    }

    /// <summary>A value in <paramref name="format"/> (invariant culture), "-" when absent or undefined.</summary>
    public static string Show(double? x, string format) =>
        x is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>"low .. high" of an estimate's 95 % interval, "-" when it has none (fewer than two seeds).</summary>
    public static string Interval(Estimate? e, string format) =>
        e is null || double.IsNaN(e.Ci95Low) ? "-" : $"{Show(e.Ci95Low, format)} .. {Show(e.Ci95High, format)}";
}
