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

/// <summary>A CSV file written by <see cref="CsvFile"/> (or any file with a header row, fields quoted when they hold a
/// comma or a quote, no line breaks inside fields), read whole: the reader of every CSV the command line reads back
/// (Parquet copies, metrics, reports).</summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string path, string[] header, List<string[]> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < header.Length; c++) _columns.TryAdd(header[c], c);
    }

    public string Path { get; }
    public IReadOnlyList<string> Header { get; }
    /// <summary>The data rows (header excluded, empty lines skipped); a short row is padded with empty fields.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>Reads a CSV file.</summary>
    /// <exception cref="FormatException">The file is empty or a row has more fields than the header (the message
    /// names the file and line).</exception>
    public static CsvTable Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Length == 0) throw new FormatException($"{path}:1: no header row");
        var header = Split(lines[0]).ToArray();
        var rows = new List<string[]>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var fields = Split(lines[i]);
            if (fields.Count > header.Length)
                throw new FormatException($"{path}:{i + 1}: {fields.Count} fields, the header has {header.Length}");
            while (fields.Count < header.Length) fields.Add("");
            rows.Add([.. fields]);
        }
        return new CsvTable(path, header, rows);
    }

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>The index of a column.</summary>
    /// <exception cref="FormatException">The file has no such column.</exception>
    public int IndexOf(string column) =>
        _columns.TryGetValue(column, out var c) ? c : throw new FormatException($"{Path}: no column '{column}'");

    /// <summary>A numeric column: null where the field is empty (undefined).</summary>
    /// <exception cref="FormatException">A field is not a number (the message names the file, line and column).</exception>
    public List<double?> Numbers(string column)
    {
        var c = IndexOf(column);
        var values = new List<double?>(Rows.Count);
        for (var r = 0; r < Rows.Count; r++) values.Add(Number(r, c));
        return values;
    }

    /// <summary>The number in row <paramref name="row"/>, column <paramref name="column"/>; null when empty.</summary>
    /// <exception cref="FormatException">The field is not a number.</exception>
    public double? Number(int row, int column)
    {
        var field = Rows[row][column];
        if (field.Length == 0) return null;
        return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x
            : throw new FormatException($"{Path}: row {row + 1}, column {Header[column]}: '{field}' is not a number");
    }

    /// <summary>Splits one line into its fields, unquoting quoted ones.</summary>
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(ch);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
