using System.Globalization;
using System.Text;

namespace MarketSim.Cli.Output;

/// <summary>A CSV file written row by row in invariant culture, flushed on request so that an interrupted run keeps
/// every row written so far. Values never need quoting except provider ids, which are quoted when they must be.</summary>
public sealed class CsvFile : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly StringBuilder _row = new();
    private readonly int _columns;
    private int _fields;

    public CsvFile(string path, params string[] header)
    {
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        _columns = header.Length;
        foreach (var h in header) Text(h);
        EndRow();
    }

    public string Path => ((FileStream)_writer.BaseStream).Name;

    public CsvFile Text(string value)
    {
        Separator();
        if (value.AsSpan().IndexOfAny(",\"\n\r") >= 0) _row.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
        else _row.Append(value);
        return this;
    }

    public CsvFile Int(long value)
    {
        Separator();
        _row.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>A real number in its shortest round-trip form; empty when NaN or infinite (undefined).</summary>
    public CsvFile Real(double value)
    {
        Separator();
        if (double.IsFinite(value)) _row.Append(value.ToString("R", CultureInfo.InvariantCulture));
        return this;
    }

    public CsvFile Real(double? value) => value is { } v ? Real(v) : Empty();

    /// <summary>Money, exact: µ$ written as US$ with up to six decimals.</summary>
    public CsvFile Usd(long micros)
    {
        Separator();
        _row.Append(Units.Usd(micros).ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public CsvFile Date(DateOnly date)
    {
        Separator();
        _row.Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return this;
    }

    public CsvFile Bool(bool value)
    {
        Separator();
        _row.Append(value ? "true" : "false");
        return this;
    }

    public CsvFile Empty()
    {
        Separator();
        return this;
    }

    public void EndRow()
    {
        if (_fields != _columns) throw new InvalidOperationException($"CSV row has {_fields} fields, header has {_columns}");
        _writer.Write(_row.Append('\n'));
        _row.Clear();
        _fields = 0;
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    private void Separator()
    {
        if (_fields++ > 0) _row.Append(',');
    }
}

/// <summary>Unit conversions for output: money is held in µ$, prices in µ$ per million tokens.</summary>
public static class Units
{
    /// <summary>µ$ as US$, exact.</summary>
    public static decimal Usd(long micros) => micros / 1_000_000m;

    /// <summary>A list price in µ$ per million tokens as US$ per million tokens, exact.</summary>
    public static decimal UsdPerMillion(long microsPerMillion) => microsPerMillion / 1_000_000m;
}
