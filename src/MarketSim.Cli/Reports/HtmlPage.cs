using System.Net;
using System.Text;

namespace MarketSim.Cli.Reports;

/// <summary>A self-contained HTML page (no scripts, no external resources) under construction: the styles of every
/// report, tables whose numeric cells carry the exact value they show in <c>data-value</c>.</summary>
internal sealed class HtmlPage
{
    private const string Styles =
        "body{font-family:'DejaVu Sans',system-ui,sans-serif;max-width:1120px;margin:1.5em auto;padding:0 1em;color:#222}" +
        "h1{margin-bottom:.2em}.sub{color:#555;margin-top:0}" +
        "table{border-collapse:collapse;margin:.6em 1.2em .6em 0;font-size:.92em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td{white-space:nowrap}" +
        "th{background:#f3f3f3}td.l,th.l{text-align:left}caption{text-align:left;font-weight:600;padding:.3em 0}" +
        ".tables{display:flex;flex-wrap:wrap;align-items:flex-start}.warn{background:#fff3e0;border-left:4px solid #e65100;padding:.5em}" +
        "figure.chart{margin:1.2em 0;border:1px solid #eee}figure.chart svg{width:100%;height:auto;display:block}" +
        ".wide{overflow-x:auto}figcaption{font-size:.85em;color:#555;padding:.3em .6em}figure.absent{padding:.2em .8em;background:#fafafa}" +
        "figure.chart h3{margin:.4em .6em 0;font-size:1.05em}code{background:#f3f3f3;padding:1px 3px}";

    private readonly StringBuilder _html = new();

    public HtmlPage(string title)
    {
        _html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title))
            .Append("</title><style>").Append(Styles).Append("</style></head><body>");
    }

    public static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Appends raw HTML.</summary>
    public HtmlPage Raw(string html)
    {
        _html.Append(html);
        return this;
    }

    /// <summary>Appends an element with escaped text.</summary>
    public HtmlPage Element(string tag, string text, string? cssClass = null)
    {
        _html.Append('<').Append(tag);
        if (cssClass is not null) _html.Append(" class=\"").Append(cssClass).Append('"');
        _html.Append('>').Append(E(text)).Append("</").Append(tag).Append('>');
        return this;
    }

    public HtmlPage Table(HtmlTable table)
    {
        _html.Append(table.ToHtml());
        return this;
    }

    public override string ToString() => _html + "</body></html>\n";
}

/// <summary>A table of a report: a caption, a header row and rows of cells.</summary>
internal sealed class HtmlTable(string caption, params string[] header)
{
    private readonly StringBuilder _rows = new();
    private bool _open;

    /// <summary>Starts a row; <paramref name="key"/> names it for tests and readers (<c>data-key</c>).</summary>
    public HtmlTable Row(string? key = null)
    {
        if (_open) _rows.Append("</tr>");
        _rows.Append(key is null ? "<tr>" : $"<tr data-key=\"{HtmlPage.E(key)}\">");
        _open = true;
        return this;
    }

    /// <summary>A text cell, left-aligned.</summary>
    public HtmlTable Text(string text)
    {
        _rows.Append("<td class=\"l\">").Append(HtmlPage.E(text)).Append("</td>");
        return this;
    }

    /// <summary>A number as shown, with the exact value it stands for (as written in the run's files) and the name
    /// of the field it comes from.</summary>
    public HtmlTable Number(string shown, string? exact, string field, bool left = false)
    {
        _rows.Append(left ? "<td class=\"l\" data-field=\"" : "<td data-field=\"").Append(HtmlPage.E(field)).Append('"');
        if (exact is not null) _rows.Append(" data-value=\"").Append(HtmlPage.E(exact)).Append('"');
        _rows.Append('>').Append(HtmlPage.E(shown)).Append("</td>");
        return this;
    }

    public string ToHtml()
    {
        var html = new StringBuilder("<table><caption>").Append(HtmlPage.E(caption)).Append("</caption>");
        if (header.Any(h => h.Length > 0))
        {
            html.Append("<tr>");
            for (var i = 0; i < header.Length; i++)
                html.Append(i == 0 ? "<th class=\"l\">" : "<th>").Append(HtmlPage.E(header[i])).Append("</th>");
            html.Append("</tr>");
        }
        html.Append(_rows);
        if (_open) html.Append("</tr>");
        return html.Append("</table>").ToString();
    }
}
