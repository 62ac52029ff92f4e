using Parquet;
using Parquet.Schema;

namespace MarketSim.Cli.Output;

/// <summary>
/// Parquet copies of the CSV results (market.parquet, providers.parquet, segments.parquet in a run folder;
/// comparison.parquet of a sweep), for pandas, DuckDB or Spark, written from the same typed rows as the CSV files
/// (<see cref="TableRows"/>): the same column names, each column's type as declared (<see cref="ColumnType"/>):
/// counts as int64, money, prices and ratios as double (null where undefined), ids and dates as strings, flags as
/// booleans. Written through a temporary file and a rename.
/// </summary>
public static class ParquetFiles
{
    /// <summary>Writes <paramref name="rows"/> to a Parquet file at <paramref name="parquetPath"/>.</summary>
    /// <remarks>Runs on the thread pool: Parquet.Net blocks on async work when a row group is disposed, which must
    /// not happen on a caller's single-threaded synchronization context.</remarks>
    public static Task WriteAsync(TableRows rows, string parquetPath) => Task.Run(async () =>
    {
        await using var file = await ParquetTable.CreateCoreAsync(rows.Columns, parquetPath);
        await file.AppendCoreAsync(rows);
        await file.CompleteCoreAsync();
    });

    /// <summary>The Parquet (CLR) type of a column type.</summary>
    public static Type ClrType(ColumnType type) => type switch
    {
        ColumnType.Int => typeof(long),
        ColumnType.Real or ColumnType.Usd => typeof(double),
        ColumnType.Bool => typeof(bool),
        _ => typeof(string),
    };
}

/// <summary>A Parquet file written one row group at a time while a run goes on (so that a long run never holds its
/// rows in memory), into a temporary sibling renamed to the file's name when complete and deleted when abandoned.</summary>
public sealed class ParquetTable : IAsyncDisposable
{
    private readonly DataField[] _fields;
    private readonly string _path;
    private readonly string _temp;
    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private bool _done;

    private ParquetTable(DataField[] fields, string path, FileStream stream, ParquetWriter writer)
    {
        _fields = fields;
        _path = path;
        _temp = path + ".tmp";
        _stream = stream;
        _writer = writer;
    }

    /// <summary>Opens <paramref name="parquetPath"/> (as a temporary sibling) for rows of <paramref name="columns"/>.</summary>
    public static Task<ParquetTable> CreateAsync(IReadOnlyList<Column> columns, string parquetPath) =>
        Task.Run(() => CreateCoreAsync(columns, parquetPath));

    internal static async Task<ParquetTable> CreateCoreAsync(IReadOnlyList<Column> columns, string parquetPath)
    {
        var fields = columns.Select(c => new DataField(c.Name, ParquetFiles.ClrType(c.Type), isNullable: true)).ToArray();
        var stream = File.Create(parquetPath + ".tmp");
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        return new ParquetTable(fields, parquetPath, stream, writer);
    }

    /// <summary>Writes <paramref name="rows"/> as one row group (nothing when empty) and empties them.</summary>
    public Task AppendAsync(TableRows rows) => Task.Run(() => AppendCoreAsync(rows));

    internal async Task AppendCoreAsync(TableRows rows)
    {
        if (rows.Count == 0) return;
        using (var group = _writer.CreateRowGroup())
        {
            for (var c = 0; c < _fields.Length; c++)
            {
                var field = _fields[c];
                switch (rows.Values(c))
                {
                    case List<long?> counts: await group.WriteAsync<long>(field, new ReadOnlyMemory<long?>([.. counts])); break;
                    case List<double?> reals: await group.WriteAsync<double>(field, new ReadOnlyMemory<double?>([.. reals])); break;
                    case List<bool?> flags: await group.WriteAsync<bool>(field, new ReadOnlyMemory<bool?>([.. flags])); break;
                    case List<string?> texts: await group.WriteAsync(field, texts.Select(t => string.IsNullOrEmpty(t) ? null! : t).ToArray()); break;
                }
            }
        }
        rows.Clear();
    }

    /// <summary>Closes the file and gives it its name.</summary>
    public Task CompleteAsync() => Task.Run(CompleteCoreAsync);

    internal async Task CompleteCoreAsync()
    {
        _done = true;
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
        File.Move(_temp, _path, overwrite: true);
    }

    /// <summary>Abandons a file not completed: closes and deletes its temporary sibling.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_done) return;
        _done = true;
        try
        {
            await Task.Run(async () => await _writer.DisposeAsync());
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // An abandoned file: what it holds does not matter.
        }
        await _stream.DisposeAsync();
        File.Delete(_temp);
    }
}
