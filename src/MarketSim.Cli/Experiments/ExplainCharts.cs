using MarketSim.Client;
using ScottPlot;

namespace MarketSim.Cli.Experiments;

/// <summary>charts/waterfall-SERIES.png: the log change of a series built up from the residual (every lever off) and
/// each lever's Shapley value, each bar starting where the last ended, then the total (every lever on); whiskers
/// are the 95 % intervals over seeds.</summary>
public static class ExplainCharts
{
    public static string FileOf(string series) => $"waterfall-{series}.png";

    /// <summary>Writes one chart per series with estimates; returns the file names (relative to the folder).</summary>
    public static List<string> Write(string chartsDirectory, Explanation explanation)
    {
        Directory.CreateDirectory(chartsDirectory);
        var written = new List<string>();
        foreach (var series in explanation.Series)
        {
            var rows = explanation.Rows.Where(r => r.Series == series).ToList();
            var residual = rows.Single(r => r.Component == Explanation.Residual);
            var total = rows.Single(r => r.Component == Explanation.Total);
            if (total.LogChange is null || residual.LogChange is null) continue;
            var steps = new List<ExplainRow> { residual };
            steps.AddRange(rows.Where(r => r.Component is not (Explanation.Residual or Explanation.Total)));
            var plot = new Plot();
            var bars = new List<Bar>();
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            double level = 0;
            for (var i = 0; i < steps.Count; i++)
            {
                var e = steps[i].LogChange!;
                bars.Add(new Bar
                {
                    Position = i, ValueBase = level, Value = level + e.Mean, Error = HalfWidth(e),
                    FillColor = i == 0 ? Colors.Gray : e.Mean < 0 ? Color.FromHex("#1565c0") : Color.FromHex("#c62828"),
                });
                ticks.AddMajor(i, steps[i].Component);
                level += e.Mean;
            }
            bars.Add(new Bar { Position = steps.Count, ValueBase = 0, Value = total.LogChange.Mean, Error = HalfWidth(total.LogChange), FillColor = Colors.Black });
            ticks.AddMajor(steps.Count, "total");
            plot.Add.Bars(bars);
            plot.Add.HorizontalLine(0, 1, Colors.Gray);
            plot.Axes.Bottom.TickGenerator = ticks;
            plot.Title($"{series}: log price change, residual + levers = total (mean, 95% interval)");
            plot.YLabel("ln(end / start)");
            var file = FileOf(series);
            Charts.Save(plot, chartsDirectory, file, 800, 450);
            written.Add(file);
        }
        return written;
    }

    private static double HalfWidth(Estimate e) => double.IsNaN(e.Ci95High) ? 0 : e.Ci95High - e.Mean;
}
