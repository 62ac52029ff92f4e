using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Cli.Output;

/// <summary>
/// Parquet copies of the CSV results (market.parquet, providers.parquet, segments.parquet in a run folder;
/// comparison.parquet of a sweep), for pandas, DuckDB or Spark: the same column names; counts as int64, money, prices
/// and ratios as double (null where the CSV field is empty), ids and dates as strings, flags as booleans. Written
/// through a temporary file and a rename.
/// </summary>
public static class ParquetFiles
{
    private static readonly HashSet<string> TextColumns = new(StringComparer.Ordinal) { "date", "provider", "tier", "segment", "variant", "metric", "run" };
    private static readonly HashSet<string> BoolColumns = new(StringComparer.Ordinal) { "active" };

    private static bool IsInteger(string column) => column is "tick" or "n" or "active_providers" or "entries" or "exits" or "switches"
        or "arrivals" or "active_customers" or "under_contract" or "replication"
        || (column.EndsWith("_tokens", StringComparison.Ordinal) && !column.StartsWith("share_", StringComparison.Ordinal)) || column.StartsWith("negotiations_", StringComparison.Ordinal);

    /// <summary>Writes the Parquet copies of a run folder's three CSV files.</summary>
    public static async Task WriteRunAsync(string runDirectory)
    {
        foreach (var csv in new[] { RunFiles.MarketCsv, RunFiles.ProvidersCsv, RunFiles.SegmentsCsv })
        {
            var path = Path.Combine(runDirectory, csv);
            if (File.Exists(path)) await FromCsvAsync(path, Path.ChangeExtension(path, ".parquet"));
        }
    }

    /// <summary>Converts a CSV file written by the CLI (header, no embedded newlines) to Parquet.</summary>
    /// <remarks>Runs on the thread pool: Parquet.Net blocks on async work when a row group is disposed, which must
    /// not happen on a caller's single-threaded synchronization context.</remarks>
    public static Task FromCsvAsync(string csvPath, string parquetPath) => Task.Run(() => ConvertAsync(csvPath, parquetPath));

    private static async Task ConvertAsync(string csvPath, string parquetPath)
    {
        var table = CsvTable.Read(csvPath);
        var header = table.Header;
        var rows = table.Rows;
        var types = header.Select(h => TextColumns.Contains(h) ? typeof(string) : BoolColumns.Contains(h) ? typeof(bool)
            : IsInteger(h) ? typeof(long) : typeof(double)).ToArray();
        var fields = header.Select((h, c) => new DataField(h, types[c], isNullable: true)).ToArray();
        var temp = parquetPath + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                var values = rows.Select(r => r[c]).ToArray();
                var field = fields[c];
                if (types[c] == typeof(string))
                    await group.WriteAsync(field, values.Select(v => v.Length == 0 ? null! : v).ToArray());
                else if (types[c] == typeof(bool))
                    await group.WriteAsync<bool>(field, new ReadOnlyMemory<bool?>([.. values.Select(v => v.Length == 0 ? (bool?)null : v == "true")]));
                else if (types[c] == typeof(long))
                    await group.WriteAsync<long>(field, new ReadOnlyMemory<long?>([.. values.Select(v => v.Length == 0 ? (long?)null : long.Parse(v, CultureInfo.InvariantCulture))]));
                else
                    await group.WriteAsync<double>(field, new ReadOnlyMemory<double?>([.. values.Select(v => v.Length == 0 ? (double?)null : double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))]));
            }
        }
        File.Move(temp, parquetPath, overwrite: true);
    }
}
