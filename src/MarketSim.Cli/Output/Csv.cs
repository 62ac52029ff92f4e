using System.Collections;
using System.Globalization;
using nietras.SeparatedValues;

namespace MarketSim.Cli.Output;

/// <summary>How a column's values are written: its CSV text and its Parquet type follow from it (see
/// <see cref="CsvFile"/> and <see cref="ParquetFiles"/>).</summary>
public enum ColumnType
{
    /// <summary>A count: invariant integer; Parquet int64.</summary>
    Int,
    /// <summary>A real number in its shortest round-trip form ("R"), empty when undefined (NaN, infinite, null);
    /// Parquet double (null where undefined).</summary>
    Real,
    /// <summary>Money held in µ$, written as exact US$ with up to six decimals; Parquet double.</summary>
    Usd,
    /// <summary>An id or a name, quoted when it must be; Parquet string.</summary>
    Text,
    /// <summary>A date, yyyy-MM-dd; Parquet string.</summary>
    Date,
    /// <summary>true or false; Parquet boolean.</summary>
    Bool,
}

/// <summary>A column of an output table: its name and how its values are written.</summary>
public readonly record struct Column(string Name, ColumnType Type)
{
    public static Column Int(string name) => new(name, ColumnType.Int);
    public static Column Real(string name) => new(name, ColumnType.Real);
    public static Column Usd(string name) => new(name, ColumnType.Usd);
    public static Column Text(string name) => new(name, ColumnType.Text);
    public static Column Date(string name) => new(name, ColumnType.Date);
    public static Column Bool(string name) => new(name, ColumnType.Bool);
}

/// <summary>The typed rows of a table, held by column (long?, double?, string? or bool? per <see cref="ColumnType"/>):
/// what <see cref="CsvFile"/> wrote, for <see cref="ParquetFiles"/>.</summary>
public sealed class TableRows
{
    private readonly IList[] _values;

    public TableRows(IReadOnlyList<Column> columns)
    {
        Columns = columns;
        _values = [.. columns.Select(c => c.Type switch
        {
            ColumnType.Int => (IList)new List<long?>(),
            ColumnType.Real or ColumnType.Usd => new List<double?>(),
            ColumnType.Bool => new List<bool?>(),
            _ => new List<string?>(),
        })];
    }

    public IReadOnlyList<Column> Columns { get; }

    public int Count => _values.Length == 0 ? 0 : _values[0].Count;

    /// <summary>The values of column <paramref name="column"/>: a List of long?, double?, string? or bool?.</summary>
    public IList Values(int column) => _values[column];

    internal void Add(int column, object? value) => _values[column].Add(value);

    /// <summary>Empties every column (after a row group of them was written).</summary>
    public void Clear()
    {
        foreach (var values in _values) values.Clear();
    }
}

/// <summary>A CSV file written row by row in invariant culture (Sep), flushed on request so that an interrupted run
/// keeps every row written so far. The columns and their types are declared once (<see cref="Column"/>); each value
/// is written as its column's type says, and, when asked, kept typed for a Parquet copy (<see cref="Rows"/>).</summary>
public sealed class CsvFile : IDisposable
{
    private readonly SepWriter _writer;
    private readonly Column[] _columns;
    private readonly object?[] _row;
    private int _fields;

    /// <param name="keepRows">Keep the typed rows in <see cref="Rows"/> (for a Parquet copy).</param>
    public CsvFile(string path, IReadOnlyList<Column> columns, bool keepRows = false)
    {
        Path = path;
        _columns = [.. columns];
        _row = new object?[_columns.Length];
        Rows = keepRows ? new TableRows(_columns) : null;
        _writer = Csv.Writer(path);
        _writer.Header.Add([.. _columns.Select(c => c.Name)]);
        _writer.Header.Write();
    }

    public string Path { get; }

    /// <summary>The rows written so far, typed; null unless asked for.</summary>
    public TableRows? Rows { get; }

    public CsvFile Text(string value) => Put(ColumnType.Text, value);

    public CsvFile Int(long value) => Put(ColumnType.Int, value);

    /// <summary>A count, or empty when absent.</summary>
    public CsvFile Int(long? value) => value is { } v ? Int(v) : Put(ColumnType.Int, null);

    /// <summary>A real number; undefined (empty) when NaN or infinite.</summary>
    public CsvFile Real(double value) => Put(ColumnType.Real, double.IsFinite(value) ? value : null);

    public CsvFile Real(double? value) => value is { } v ? Real(v) : Put(ColumnType.Real, null);

    /// <summary>Money, exact: µ$ written as US$ with up to six decimals.</summary>
    public CsvFile Usd(long micros) => Put(ColumnType.Usd, Units.Usd(micros));

    public CsvFile Date(DateOnly date) => Put(ColumnType.Date, date);

    public CsvFile Bool(bool value) => Put(ColumnType.Bool, value);

    public void EndRow()
    {
        if (_fields != _columns.Length) throw new InvalidOperationException($"CSV row has {_fields} fields, header has {_columns.Length}");
        using (var row = _writer.NewRow())
        {
            for (var c = 0; c < _columns.Length; c++)
            {
                var col = row[c];
                switch (_row[c])
                {
                    case null: col.Set(""); break;
                    case long n: col.Format(n); break;
                    case double x: col.Format(x, "R"); break;
                    case decimal usd: col.Format(usd); break;
                    case DateOnly date: col.Format(date, "yyyy-MM-dd"); break;
                    case bool b: col.Set(b ? "true" : "false"); break;
                    case string s: col.Set(s); break;
                }
            }
        }
        if (Rows is not null)
            for (var c = 0; c < _columns.Length; c++) Rows.Add(c, Typed(_row[c]));
        Array.Clear(_row);
        _fields = 0;
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    private CsvFile Put(ColumnType type, object? value)
    {
        if (_fields >= _columns.Length) throw new InvalidOperationException($"CSV row has more fields than the header's {_columns.Length}");
        var column = _columns[_fields];
        if (column.Type != type) throw new InvalidOperationException($"column {column.Name} is {column.Type}, not {type}");
        _row[_fields++] = value;
        return this;
    }

    /// <summary>The Parquet value of a field: money as the double its text reads as, a date as its text.</summary>
    private static object? Typed(object? value) => value switch
    {
        decimal usd => double.Parse(usd.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => value,
    };
}

/// <summary>The CSV dialect of every file the command line writes and reads: comma, invariant culture, fields quoted
/// (and quotes doubled) when they hold a comma, a quote or a line break, lines ended by \n, UTF-8 without BOM.</summary>
public static class Csv
{
    /// <summary>A writer of a new file at <paramref name="path"/>.</summary>
    public static SepWriter Writer(string path) =>
        Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture }).ToFile(path);

    /// <summary>A reader of the file at <paramref name="path"/>, unquoting fields; rows may be short or long (the
    /// caller checks).</summary>
    public static SepReader Reader(string path) =>
        Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true, CultureInfo = CultureInfo.InvariantCulture }).FromFile(path);
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
/// comma, a quote or a line break), read whole with Sep: the reader of every CSV the command line reads back
/// (metrics, reports).</summary>
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
        if (new FileInfo(path).Length == 0) throw new FormatException($"{path}:1: no header row");
        try
        {
            using var reader = Csv.Reader(path);
            var header = reader.Header.ColNames.ToArray();
            if (header is [""]) throw new FormatException($"{path}:1: no header row");
            var rows = new List<string[]>();
            foreach (var row in reader)
            {
                if (row.ColCount == 1 && row.Span.Length == 0) continue;
                if (row.ColCount > header.Length)
                    throw new FormatException($"{path}:{row.LineNumberFrom}: {row.ColCount} fields, the header has {header.Length}");
                var fields = new string[header.Length];
                for (var c = 0; c < header.Length; c++) fields[c] = c < row.ColCount ? row[c].ToString() : "";
                rows.Add(fields);
            }
            return new CsvTable(path, header, rows);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new FormatException($"{path}: {e.Message}", e);   // e.g. a column name twice in the header
        }
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
}
