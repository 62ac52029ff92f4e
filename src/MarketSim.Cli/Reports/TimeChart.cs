using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MarketSim.Cli.Output;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace MarketSim.Cli.Reports;

/// <summary>How a chart's y axis shows its values.</summary>
public enum YScale
{
    Linear,
    /// <summary>Logarithmic: values are drawn at log10; zero and negative values leave a gap.</summary>
    Log,
}

/// <summary>
/// One chart over simulated time, drawn with ScottPlot and embedded in a report as inline SVG. Every point drawn is
/// a value of the run's files at its date: nothing is averaged. Series longer than <see cref="MaxPoints"/> are drawn
/// at every k-th row (the first and the last row always), and the chart says so.
/// </summary>
public sealed partial class TimeChart(string id, string title, string yLabel, YScale scale = YScale.Linear)
{
    /// <summary>Points per series above which a chart draws every k-th row.</summary>
    public const int MaxPoints = 600;
    public const int Width = 1040;
    public const int Height = 380;

    /// <summary>Series colours (tiers, providers, segments, runs take them in order); tests find the data paths of
    /// a chart by these colours.</summary>
    public static readonly string[] PaletteHex =
        ["#1F77B4", "#D62728", "#2CA02C", "#FF7F0E", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF"];

    private static readonly Color EventColor = Color.FromHex("#555555");
    private readonly Plot _plot = NewPlot(yLabel, scale);
    private readonly List<string> _notes = [];
    private int _stride = 1;
    private int _series;
    private double _low = double.PositiveInfinity;
    private double _high = double.NegativeInfinity;

    public string Id { get; } = id;
    public string Title { get; } = title;

    public static Color ColorOf(int index) => Color.FromHex(PaletteHex[index % PaletteHex.Length]);

    /// <summary>A sentence under the chart (where its values come from, what is left out).</summary>
    public TimeChart Note(string note)
    {
        _notes.Add(note);
        return this;
    }

    /// <summary>A line: one value per date (null or, on a log axis, not positive: a gap); no legend entry when
    /// <paramref name="legend"/> is null.</summary>
    public TimeChart Line(string? legend, IReadOnlyList<DateOnly> dates, IReadOnlyList<double?> values, int colorIndex, bool dashed = false)
    {
        var color = ColorOf(colorIndex);
        var first = true;
        foreach (var (xs, ys) in Runs(dates, values))
        {
            var line = _plot.Add.ScatterLine(xs, ys, color);
            line.LineWidth = 2;
            line.MarkerSize = xs.Length == 1 ? 5 : 0;
            if (dashed) line.LinePattern = LinePattern.Dashed;
            if (first && legend is not null) line.LegendText = legend;
            first = false;
        }
        _series++;
        return this;
    }

    /// <summary>Stacked areas: layer i fills from the sum of layers before it to that sum plus its value (a missing
    /// value counts as zero).</summary>
    public TimeChart StackedAreas(IReadOnlyList<DateOnly> dates, IReadOnlyList<(string Legend, int ColorIndex, IReadOnlyList<double?> Values)> layers)
    {
        var rows = Rows(dates.Count);
        var xs = rows.Select(r => X(dates[r])).ToArray();
        var below = new double[rows.Count];
        foreach (var (legend, colorIndex, values) in layers)
        {
            var above = rows.Select((r, i) => below[i] + (values[r] ?? 0)).ToArray();
            var area = _plot.Add.FillY(xs, below, above);
            area.FillColor = ColorOf(colorIndex).WithAlpha(0.8);
            area.LineWidth = 0;
            area.LegendText = legend;
            below = above;
            _series++;
        }
        return this;
    }

    /// <summary>A marked point with a label (an exit).</summary>
    public TimeChart Mark(DateOnly date, double value, string label, int colorIndex)
    {
        var y = scale == YScale.Log ? Math.Log10(value) : value;
        if (!double.IsFinite(y)) return this;
        var marker = _plot.Add.Marker(X(date), y, MarkerShape.Cross, 14, ColorOf(colorIndex));
        marker.LineWidth = 3;
        var text = _plot.Add.Text(label, X(date), y);
        text.LabelFontSize = 12;
        text.LabelFontColor = ColorOf(colorIndex);
        text.LabelOffsetX = 8;
        return this;
    }

    /// <summary>Vertical dotted lines at the events inside the chart's dates, labelled with their numbers (one line
    /// per date).</summary>
    public TimeChart Events(IReadOnlyList<EventMark> events, IReadOnlyList<DateOnly> dates)
    {
        if (dates.Count == 0) return this;
        foreach (var sameDay in events.Where(e => e.Date >= dates[0] && e.Date <= dates[^1]).GroupBy(e => e.Date))
        {
            var line = _plot.Add.VerticalLine(X(sameDay.Key), 1, EventColor);
            line.LinePattern = LinePattern.Dotted;
            line.LabelText = string.Join(",", sameDay.Select(e => e.Number.ToString(CultureInfo.InvariantCulture)));
            line.LabelOppositeAxis = true;
            line.LabelFontSize = 11;
        }
        return this;
    }

    /// <summary>Draws every k-th row of series longer than <see cref="MaxPoints"/>; call before adding series.</summary>
    public TimeChart SampleFor(int rows)
    {
        _stride = Math.Max(1, (int)Math.Ceiling(rows / (double)MaxPoints));
        if (_stride > 1)
            _notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{rows} ticks: every {Ordinal(_stride)} tick is drawn (the values of those ticks, not averages; the first and last tick always)."));
        return this;
    }

    /// <summary>The rows drawn out of <paramref name="count"/>: every <c>stride</c>-th and the last.</summary>
    public static List<int> SampledRows(int count, int stride)
    {
        var rows = new List<int>();
        for (var r = 0; r < count; r += stride) rows.Add(r);
        if (count > 0 && rows[^1] != count - 1) rows.Add(count - 1);
        return rows;
    }

    /// <summary>The chart as an HTML figure with inline SVG; element ids are prefixed with the chart's id so that
    /// several charts live in one page.</summary>
    public string ToHtml()
    {
        if (_series > 0) _plot.ShowLegend(Edge.Right);
        if (scale == YScale.Log && _low <= _high) _plot.Axes.Left.TickGenerator = LogTicks(_low, _high);
        var svg = _plot.GetSvgXml(Width, Height);
        svg = svg[svg.IndexOf("<svg", StringComparison.Ordinal)..];
        // Skia numbers clip paths with a counter of the process: renumber them per chart, so that ids are unique in
        // the page and the page is the same whatever was drawn before.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        svg = IdPattern().Replace(svg, m =>
        {
            var name = m.Groups[2].Value;
            if (!ids.TryGetValue(name, out var renamed)) ids[name] = renamed = $"{Id}-{ids.Count + 1}";
            return m.Groups[1].Value + renamed;
        });
        svg = svg.Replace($"width=\"{Width}\" height=\"{Height}\"", $"viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(Title)}\"");
        var html = new StringBuilder();
        html.Append("<figure class=\"chart\" id=\"chart-").Append(Id).Append("\" data-series=\"").Append(_series).Append("\"><h3>")
            .Append(WebUtility.HtmlEncode(Title)).Append("</h3>").Append(svg);
        if (_notes.Count > 0) html.Append("<figcaption>").Append(WebUtility.HtmlEncode(string.Join(" ", _notes))).Append("</figcaption>");
        return html.Append("</figure>").ToString();
    }

    /// <summary>A chart the run cannot draw, with the reason in its place.</summary>
    public static string Absent(string id, string title, string reason) =>
        $"<figure class=\"chart absent\" id=\"chart-{id}\" data-series=\"0\"><h3>{WebUtility.HtmlEncode(title)}</h3><p>{WebUtility.HtmlEncode(reason)}</p></figure>";

    private static double X(DateOnly date) => date.ToDateTime(TimeOnly.MinValue).ToOADate();

    private List<int> Rows(int count) => SampledRows(count, _stride);

    /// <summary>The drawable stretches of a series: consecutive sampled rows with a value.</summary>
    private IEnumerable<(double[] Xs, double[] Ys)> Runs(IReadOnlyList<DateOnly> dates, IReadOnlyList<double?> values)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var r in Rows(dates.Count))
        {
            var y = values[r] is { } v ? (scale == YScale.Log ? (v > 0 ? Math.Log10(v) : double.NaN) : v) : double.NaN;
            if (double.IsFinite(y))
            {
                _low = Math.Min(_low, y);
                _high = Math.Max(_high, y);
                xs.Add(X(dates[r]));
                ys.Add(y);
                continue;
            }
            if (xs.Count > 0) yield return ([.. xs], [.. ys]);
            xs.Clear();
            ys.Clear();
        }
        if (xs.Count > 0) yield return ([.. xs], [.. ys]);
    }

    private static Plot NewPlot(string yLabel, YScale scale)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Axes.Top.MinimumSize = 24;   // room for the event labels above the data area
        plot.YLabel(yLabel);
        var bottom = plot.Axes.DateTimeTicksBottom();
        if (bottom.TickGenerator is DateTimeAutomatic dates) dates.LabelFormatter = d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = Compact };
        return plot;
    }

    /// <summary>Ticks of a log axis between 10^low and 10^high: at 1, 2 and 5 times the powers of ten, or at every
    /// multiple when the range holds fewer than three of those; within a narrower range, where the axis puts them.</summary>
    private static ITickGenerator LogTicks(double low, double high)
    {
        var ticks = new NumericManual();
        foreach (var multiples in new[] { new[] { 1, 2, 5 }, [1, 2, 3, 4, 5, 6, 7, 8, 9] })
        {
            var values = new List<double>();
            for (var k = (int)Math.Floor(low) - 1; k <= (int)Math.Ceiling(high); k++)
                foreach (var m in multiples)
                {
                    var y = Math.Log10(m) + k;
                    if (y >= low - 0.1 && y <= high + 0.1) values.Add(y);   // the axis shows a margin around the data
                }
            if (values.Count < 3 && multiples.Length == 3) continue;
            if (values.Count < 2) return new NumericAutomatic { LabelFormatter = y => Compact(Math.Pow(10, y)) };
            foreach (var y in values) ticks.AddMajor(y, Compact(Math.Pow(10, y)));
            for (var k = (int)Math.Floor(low) - 1; k <= (int)Math.Ceiling(high); k++)
                for (var m = 2; m <= 9; m++)
                    if (Math.Log10(m) + k is var minor && minor >= low && minor <= high && !values.Contains(minor)) ticks.AddMinor(minor);
            break;
        }
        return ticks;
    }

    /// <summary>An axis label: k, M, bn, T for large numbers, plain below.</summary>
    public static string Compact(double x)
    {
        var a = Math.Abs(x);
        var text = a switch
        {
            >= 1e12 => (a / 1e12).ToString("0.##", CultureInfo.InvariantCulture) + " T",
            >= 1e9 => (a / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + " bn",
            >= 1e6 => (a / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + " M",
            >= 1e3 => (a / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + " k",
            >= 100 => a.ToString("0.#", CultureInfo.InvariantCulture),
            >= 10 => a.ToString("0.##", CultureInfo.InvariantCulture),
            _ => a.ToString("0.####", CultureInfo.InvariantCulture),
        };
        return (x < 0 ? "-" : "") + text;
    }

    private static string Ordinal(int n) => n switch { 2 => "2nd", 3 => "3rd", _ => $"{n}th" };

    [GeneratedRegex("(\\bid=\"|url\\(#|href=\"#)([A-Za-z0-9_-]+)")]
    private static partial Regex IdPattern();
}
