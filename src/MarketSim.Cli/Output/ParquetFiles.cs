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
    public static Task WriteAsync(TableRows rows, string parquetPath) => Task.Run(() => WriteCoreAsync(rows, parquetPath));

    private static async Task WriteCoreAsync(TableRows rows, string parquetPath)
    {
        var fields = rows.Columns.Select(c => new DataField(c.Name, ClrType(c.Type), isNullable: true)).ToArray();
        var temp = parquetPath + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                var field = fields[c];
                switch (rows.Values(c))
                {
                    case List<long?> counts: await group.WriteAsync<long>(field, new ReadOnlyMemory<long?>([.. counts])); break;
                    case List<double?> reals: await group.WriteAsync<double>(field, new ReadOnlyMemory<double?>([.. reals])); break;
                    case List<bool?> flags: await group.WriteAsync<bool>(field, new ReadOnlyMemory<bool?>([.. flags])); break;
                    case List<string?> texts: await group.WriteAsync(field, texts.Select(t => string.IsNullOrEmpty(t) ? null! : t).ToArray()); break;
                }
            }
        }
        File.Move(temp, parquetPath, overwrite: true);
    }

    /// <summary>The Parquet (CLR) type of a column type.</summary>
    public static Type ClrType(ColumnType type) => type switch
    {
        ColumnType.Int => typeof(long),
        ColumnType.Real or ColumnType.Usd => typeof(double),
        ColumnType.Bool => typeof(bool),
        _ => typeof(string),
    };
}
