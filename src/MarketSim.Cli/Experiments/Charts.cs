using MarketSim.Cli.Output;
using ScottPlot;

namespace MarketSim.Cli.Experiments;

/// <summary>charts/*.png: key series per variant over time (mean across replications with a 95 % t band).</summary>
public static class Charts
{
    /// <summary>File name, market.csv column, title, y label.</summary>
    public static readonly (string File, string Column, string Title, string YLabel)[] Series =
    [
        ("price-index-mid.png", "price_index_mid", "Mid-tier price index", "US$ per million tokens"),
        ("price-index-frontier.png", "price_index_frontier", "Frontier price index", "US$ per million tokens"),
        ("consumer-surplus.png", "consumer_surplus_usd", "Consumer surplus per tick", "US$"),
        ("hhi.png", "hhi", "Concentration (HHI)", "HHI (0..10000)"),
    ];

    /// <summary>Writes every chart; returns the file names written (relative to <paramref name="chartsDirectory"/>).</summary>
    public static List<string> Write(string chartsDirectory, IReadOnlyList<RunGroup> groups)
    {
        Directory.CreateDirectory(chartsDirectory);
        var written = new List<string>();
        foreach (var (file, column, title, yLabel) in Series)
        {
            var plot = new Plot();
            var any = false;
            for (var g = 0; g < groups.Count; g++)
            {
                var series = groups[g].RunDirectories
                    .Select(d => MetricVocabulary.ReadColumn(Path.Combine(d, RunFiles.MarketCsv), column))
                    .ToList();
                if (series.Count == 0) continue;
                var ticks = series.Min(s => s.Count);
                var xs = new List<double>();
                var mean = new List<double>();
                var low = new List<double>();
                var high = new List<double>();
                for (var t = 0; t < ticks; t++)
                {
                    var values = series.Select(s => s[t]).Where(v => v is not null).Select(v => v!.Value).ToList();
                    if (Estimate.Of(values) is not { } e) continue;
                    xs.Add(t);
                    mean.Add(e.Mean);
                    low.Add(double.IsNaN(e.Ci95Low) ? e.Mean : e.Ci95Low);
                    high.Add(double.IsNaN(e.Ci95High) ? e.Mean : e.Ci95High);
                }
                if (xs.Count == 0) continue;
                var color = Reports.TimeChart.ColorOf(g);
                var band = plot.Add.FillY(xs.ToArray(), low.ToArray(), high.ToArray());
                band.FillColor = color.WithAlpha(0.2);
                band.LineWidth = 0;
                var line = plot.Add.ScatterLine(xs.ToArray(), mean.ToArray());
                line.Color = color;
                line.LineWidth = 2;
                line.LegendText = groups[g].Name;
                any = true;
            }
            if (!any) continue;
            plot.Title($"{title} (mean, 95% band)");
            plot.XLabel("tick");
            plot.YLabel(yLabel);
            plot.ShowLegend(Alignment.UpperRight);
            Save(plot, chartsDirectory, file, 900, 450);
            written.Add(file);
        }
        return written;
    }

    /// <summary>Saves a chart as a PNG through a temporary file and a rename, so that a reader never sees half a file.</summary>
    public static void Save(Plot plot, string directory, string file, int width, int height)
    {
        var temp = Path.Combine(directory, "." + file + ".tmp.png");
        plot.SavePng(temp, width, height);
        File.Move(temp, Path.Combine(directory, file), overwrite: true);
    }
}
