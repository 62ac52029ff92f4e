using MarketSim.Cli.Output;
using Parquet;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests;

/// <summary>--sample-every N writes every N-th tick (and the last) to the files; the summary and fingerprint cover every
/// tick; long runs are sampled by default so that market.csv has at most about 10,000 rows; Parquet copies are written a
/// row group at a time.</summary>
public sealed class SamplingTests
{
    [Theory]
    [InlineData(60, 1)]
    [InlineData(10_000, 1)]
    [InlineData(10_001, 2)]
    [InlineData(50_000, 5)]
    [InlineData(2_000_000, 200)]
    public void Runs_longer_than_ten_thousand_ticks_are_sampled_by_default(int ticks, int every) =>
        Assert.Equal(every, RunSampling.For(ticks, null).Every);

    [Fact]
    public void The_sampling_keeps_every_nth_tick_and_the_last()
    {
        var sampling = RunSampling.For(25, 10);
        Assert.Equal([0, 10, 20, 24], Enumerable.Range(0, 25).Where(sampling.Keeps));
    }

    [Fact]
    public async Task A_sampled_run_writes_the_sampled_ticks_and_the_same_summary_and_fingerprint_as_a_full_run()
    {
        var full = Path.Combine(TempDirectory(), "full");
        var sampled = Path.Combine(TempDirectory(), "sampled");
        var a = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "25", "--out", full, "--quiet", "--no-report");
        var b = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "25", "--out", sampled, "--quiet", "--no-report",
            "--sample-every", "10");
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.True(b.ExitCode == 0, b.Err);

        Assert.Equal(["0", "10", "20", "24"], ReadCsv(Path.Combine(sampled, "market.csv")).Select(r => r["tick"]));
        Assert.Equal(["0", "10", "20", "24"], ReadCsv(Path.Combine(sampled, "segments.csv")).Select(r => r["tick"]).Distinct());
        var fullRows = ReadCsv(Path.Combine(full, "market.csv"));
        Assert.Equal(fullRows.Where(r => r["tick"] is "0" or "10" or "20" or "24"), ReadCsv(Path.Combine(sampled, "market.csv")));
        Assert.Equal(4, await ParquetRowsAsync(Path.Combine(sampled, "market.parquet")));

        var fullSummary = ReadJson(Path.Combine(full, "summary.json"));
        var sampledSummary = ReadJson(Path.Combine(sampled, "summary.json"));
        Assert.Equal(10, sampledSummary.GetProperty("sampleEvery").GetInt32());
        Assert.Equal(1, fullSummary.GetProperty("sampleEvery").GetInt32());
        Assert.Equal(25, sampledSummary.GetProperty("ticksDone").GetInt32());
        Assert.Equal(fullSummary.GetProperty("fingerprint").GetString(), sampledSummary.GetProperty("fingerprint").GetString());
        foreach (var figure in new[] { "providers", "totals" })
            Assert.Equal(fullSummary.GetProperty(figure).GetRawText(), sampledSummary.GetProperty(figure).GetRawText());
    }

    [Fact]
    public async Task A_long_run_writes_at_most_ten_thousand_rows_and_one_more_by_default_and_its_parquet_in_row_groups()
    {
        var dir = Path.Combine(TempDirectory(), "long");
        var result = await RunAsync("run", RepoFile("config", "scenarios", "duopoly.yaml"), "--engine", "reference", "--ticks", "30000",
            "--out", dir, "--quiet", "--no-report");
        Assert.True(result.ExitCode == 0, result.Err);

        var market = ReadCsv(Path.Combine(dir, "market.csv"));
        Assert.Equal(10_001, market.Count);   // ticks 0, 3, ..., 29997 and the last, 29999
        Assert.Equal(("0", "3", "29999"), (market[0]["tick"], market[1]["tick"], market[^1]["tick"]));
        Assert.Equal(3, ReadJson(Path.Combine(dir, "summary.json")).GetProperty("sampleEvery").GetInt32());
        Assert.Equal(30_000, ReadJson(Path.Combine(dir, "summary.json")).GetProperty("ticksDone").GetInt32());
        // segments.csv has 10,001 rows, providers.csv 20,002: more than a row group, so its Parquet copy has two.
        await using var stream = File.OpenRead(Path.Combine(dir, "providers.parquet"));
        await using var reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(2, reader.RowGroupCount);
        Assert.Equal(20_002, await ParquetRowsAsync(Path.Combine(dir, "providers.parquet")));
        Assert.False(File.Exists(Path.Combine(dir, "providers.parquet.tmp")));
    }

    [Fact]
    public async Task A_sample_interval_below_one_exits_2()
    {
        var result = await RunAsync("run", Fixture("tiny.yaml"), "--sample-every", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--sample-every must be at least 1 (1 writes every tick), not 0", result.Err);
    }

    [Fact]
    public async Task Validate_refuses_two_million_ticks_of_the_baseline_naming_the_time_and_accepts_them_for_two_firms()
    {
        var baseline = await RunAsync("validate", RepoFile("config", "scenarios", "baseline.yaml"), "--set", "ticks=2000000");
        var duopoly = await RunAsync("validate", RepoFile("config", "scenarios", "duopoly.yaml"), "--set", "ticks=2000000");

        Assert.Equal(2, baseline.ExitCode);
        Assert.Contains("ticks: the run would take about 2.9 hours", baseline.Out);
        Assert.Contains("engine.maxRunHours", baseline.Out);
        Assert.DoesNotContain("   at ", baseline.Out + baseline.Err);
        Assert.True(duopoly.ExitCode == 0, duopoly.Err);
    }

    private static async Task<long> ParquetRowsAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            rows += group.RowCount;
        }
        return rows;
    }
}
