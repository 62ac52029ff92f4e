using System.Globalization;
using MarketSim.Cli.Output;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Cli.Tests;

/// <summary>The Parquet copies of a run's CSV files: the columns as declared (names and types), the values of the CSV.</summary>
public sealed class ParquetOutputTests(TinyRun run) : IClassFixture<TinyRun>
{
    [Theory]
    [InlineData("market")]
    [InlineData("providers")]
    [InlineData("segments")]
    public async Task The_parquet_file_holds_the_csv_rows_with_the_declared_column_types(string table)
    {
        var csv = CsvTable.Read(Path.Combine(run.Directory, table + ".csv"));
        await using var stream = File.OpenRead(Path.Combine(run.Directory, table + ".parquet"));
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(csv.Header, fields.Select(f => f.Name));
        var declared = table switch
        {
            "providers" => RunFiles.ProvidersColumns,
            "segments" => RunFiles.SegmentsColumns,
            _ => null,
        };
        if (declared is not null) Assert.Equal(declared.Select(c => ParquetFiles.ClrType(c.Type)), fields.Select(TypeOf));
        Assert.Equal(typeof(long), TypeOf(fields.Single(f => f.Name == "tick")));
        Assert.Equal(typeof(string), TypeOf(fields.Single(f => f.Name == "date")));

        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(csv.Rows.Count, group.RowCount);
        for (var c = 0; c < fields.Length; c++)
        {
            var data = await ReadAsync(group, fields[c], csv.Rows.Count);
            for (var r = 0; r < csv.Rows.Count; r++)
            {
                var text = csv.Rows[r][c];
                var value = data[r];
                var expected = text.Length == 0 ? null : TypeOf(fields[c]) switch
                {
                    var t when t == typeof(long) => (object)long.Parse(text, CultureInfo.InvariantCulture),
                    var t when t == typeof(double) => double.Parse(text, CultureInfo.InvariantCulture),
                    var t when t == typeof(bool) => text == "true",
                    _ => text,
                };
                Assert.Equal(expected, value);
            }
        }
    }

    /// <summary>The column's value type; Parquet.Net reports strings as ReadOnlyMemory&lt;char&gt;.</summary>
    private static Type TypeOf(DataField field) => field.ClrType == typeof(ReadOnlyMemory<char>) ? typeof(string) : field.ClrType;

    private static async Task<object?[]> ReadAsync(ParquetRowGroupReader group, DataField field, int count)
    {
        if (TypeOf(field) == typeof(string))
        {
            var texts = new string?[count];
            await group.ReadAsync(field, texts.AsMemory());
            return [.. texts];
        }
        return field.ClrType == typeof(long) ? await Nullable<long>(group, field, count)
            : field.ClrType == typeof(double) ? await Nullable<double>(group, field, count)
            : await Nullable<bool>(group, field, count);
    }

    private static async Task<object?[]> Nullable<T>(ParquetRowGroupReader group, DataField field, int count) where T : struct
    {
        var values = new T?[count];
        await group.ReadAsync(field, values.AsMemory());
        return [.. values.Select(v => v is { } x ? (object)x : null)];
    }
}
