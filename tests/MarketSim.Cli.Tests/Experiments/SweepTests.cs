using System.Globalization;
using MarketSim.Cli.Commands;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests.Experiments;

public sealed class SweepTests
{
    private const double T975With2Df = 4.302653;   // t(0.975, 2), from tables: independent of the code under test

    [Fact]
    public async Task Sweep_writes_every_file_and_t_intervals_that_match_the_run_summaries()
    {
        var experiment = ExperimentFixtures.TwoVariants();
        var outDir = Path.Combine(TempDirectory(), "sweep");

        var result = await RunAsync("sweep", experiment, "--out", outDir, "--engine", "reference", "--parallel", "2");

        Assert.True(result.ExitCode == 0, result.Err + result.Out);
        foreach (var file in new[] { "comparison.csv", "comparison.parquet", "report.html", "charts/price-index-mid.png", "charts/hhi.png", "charts/consumer-surplus.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        foreach (var variant in new[] { "base", "cost-plus" })
            for (var r = 0; r < 3; r++)
                foreach (var file in new[] { "summary.json", "market.csv", "providers.csv", "segments.csv", "scenario.resolved.yaml", "market.parquet", "providers.parquet", "segments.parquet" })
                    Assert.True(File.Exists(Path.Combine(outDir, "runs", variant, r.ToString(CultureInfo.InvariantCulture), file)), $"{variant}/{r}/{file}");

        var rows = ReadCsv(Path.Combine(outDir, "comparison.csv"));
        Assert.Equal(2 * 5, rows.Count);
        foreach (var variant in new[] { "base", "cost-plus" })
        {
            var summaries = Enumerable.Range(0, 3).Select(r => ReadJson(Path.Combine(outDir, "runs", variant, r.ToString(CultureInfo.InvariantCulture), "summary.json"))).ToList();
            // Common random numbers: replication r has the same seed in every variant, different seeds across r.
            Assert.Equal(3, summaries.Select(s => s.GetProperty("seed").GetUInt64()).Distinct().Count());
            var expected = new Dictionary<string, double[]>
            {
                ["total_profit_usd"] = [.. summaries.Select(s => s.GetProperty("providers").EnumerateArray().Sum(p => p.GetProperty("profitUsd").GetDouble()))],
                ["profit_usd:lab-b"] = [.. summaries.Select(s => s.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "lab-b").GetProperty("profitUsd").GetDouble())],
                ["total_consumer_surplus_usd"] = [.. summaries.Select(s => s.GetProperty("totals").GetProperty("consumerSurplusUsd").GetDouble())],
            };
            foreach (var (metric, values) in expected)
            {
                var row = rows.Single(x => x["variant"] == variant && x["metric"] == metric);
                var mean = values.Average();
                var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / 2);
                var half = T975With2Df * sd / Math.Sqrt(3);
                Assert.Equal("3", row["n"]);
                AssertClose(mean, Real(row["mean"]));
                AssertClose(sd, Real(row["sd"]));
                // t is hard-coded to 7 significant digits: the bounds agree to that precision of the half-width.
                AssertClose(mean - half, Real(row["ci95_low"]), half);
                AssertClose(mean + half, Real(row["ci95_high"]), half);
            }
        }
        var seedsBase = Enumerable.Range(0, 3).Select(r => ReadJson(Path.Combine(outDir, "runs", "base", $"{r}", "summary.json")).GetProperty("seed").GetUInt64());
        var seedsCost = Enumerable.Range(0, 3).Select(r => ReadJson(Path.Combine(outDir, "runs", "cost-plus", $"{r}", "summary.json")).GetProperty("seed").GetUInt64());
        Assert.Equal(seedsBase, seedsCost);
        var report = await File.ReadAllTextAsync(Path.Combine(outDir, "report.html"));
        Assert.Contains("Does undercutting pay for lab-b?", report);
        Assert.Contains("data:image/png;base64,", report);
    }

    [Fact]
    public async Task A_sweep_interrupted_after_two_runs_resumes_to_the_same_comparison_as_an_uninterrupted_one()
    {
        var experiment = ExperimentFixtures.TwoVariants(ticks: 10, replications: 2);
        var whole = Path.Combine(TempDirectory(), "whole");
        var interrupted = Path.Combine(TempDirectory(), "interrupted");
        Assert.Equal(0, (await RunAsync("sweep", experiment, "--out", whole, "--engine", "reference", "--parallel", "1")).ExitCode);

        using var cancel = new CancellationTokenSource();
        var finished = 0;
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var context = new CliContext(output, output, interactive: false);
        var code = await SweepCommand.ExecuteAsync(context, new SweepOptions(experiment, interrupted, 1, "reference",
            OnRunFinished: _ => { if (Interlocked.Increment(ref finished) == 2) cancel.Cancel(); }), cancel.Token);
        Assert.Equal(ExitCodes.Interrupted, code);
        Assert.False(File.Exists(Path.Combine(interrupted, "comparison.csv")));
        var complete = Directory.GetFiles(Path.Combine(interrupted, "runs"), "summary.json", SearchOption.AllDirectories).Length;
        Assert.Equal(2, complete);

        var resumed = await RunAsync("sweep", experiment, "--out", interrupted, "--engine", "reference", "--parallel", "1");
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("2 already done, 2 to run", resumed.Out);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(whole, "comparison.csv")), await File.ReadAllBytesAsync(Path.Combine(interrupted, "comparison.csv")));
    }

    [Fact]
    public async Task A_sweep_with_sample_every_writes_sampled_run_files_and_compares_the_full_summaries()
    {
        var experiment = ExperimentFixtures.TwoVariants(ticks: 15, replications: 1, extra: "sampleEvery: 7");
        var outDir = Path.Combine(TempDirectory(), "sweep");

        var result = await RunAsync("sweep", experiment, "--out", outDir, "--engine", "reference");

        Assert.True(result.ExitCode == 0, result.Err + result.Out);
        var run = Path.Combine(outDir, "runs", "base", "0");
        Assert.Equal(["0", "7", "14"], ReadCsv(Path.Combine(run, "market.csv")).Select(r => r["tick"]));
        var summary = ReadJson(Path.Combine(run, "summary.json"));
        Assert.Equal((7, 15), (summary.GetProperty("sampleEvery").GetInt32(), summary.GetProperty("ticksDone").GetInt32()));
    }

    [Fact]
    public async Task An_invalid_experiment_exits_2_with_every_problem_located_and_runs_nothing()
    {
        var dir = TempDirectory();
        File.Copy(Fixture("tiny.yaml"), Path.Combine(dir, "tiny.yaml"));
        var path = Path.Combine(dir, "bad.yaml");
        await File.WriteAllTextAsync(path, """
            name: bad
            scenario: tiny.yaml
            replicatoins: 3
            seed: -4
            variants:
              - name: base
              - name: broken
                set: [providers.lab-z.strategy=undercut]
            metrics: [total_profit, profit_usd:lab-q]
            """);
        var outDir = Path.Combine(dir, "out");

        var result = await RunAsync("sweep", path, "--out", outDir, "--engine", "reference");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.yaml:3:1: replicatoins: unknown key 'replicatoins' (fix: did you mean 'replications'?", result.Err);
        Assert.Contains("bad.yaml:4:7: seed:", result.Err);
        Assert.Contains("bad.yaml:8:", result.Err);
        Assert.Contains("variants[1].set:", result.Err);
        Assert.Contains("lab-z", result.Err);
        Assert.Contains("bad.yaml:9:", result.Err);
        Assert.Contains("metrics[0]: unknown metric 'total_profit'", result.Err);
        Assert.Contains("metrics[1]: unknown provider 'lab-q'", result.Err);
        Assert.Contains("nothing was run", result.Err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task Compare_of_two_runs_writes_a_comparison()
    {
        var dir = TempDirectory();
        var a = Path.Combine(dir, "a");
        var b = Path.Combine(dir, "b");
        Assert.Equal(0, (await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "10", "--out", a, "--quiet")).ExitCode);
        Assert.Equal(0, (await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "10", "--seed", "3", "--out", b, "--quiet")).ExitCode);
        var outDir = Path.Combine(dir, "cmp");

        var result = await RunAsync("compare", a, b, "--out", outDir);

        Assert.True(result.ExitCode == 0, result.Err);
        var rows = ReadCsv(Path.Combine(outDir, "comparison.csv"));
        Assert.Contains(rows, r => r["variant"] == "a" && r["metric"] == "profit_usd:lab-a" && r["n"] == "1");
        Assert.True(File.Exists(Path.Combine(outDir, "comparison.parquet")));
        Assert.True(File.Exists(Path.Combine(a, "market.parquet")));
    }

    private static void AssertClose(double expected, double actual, double halfWidth = 0) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)) + 1e-6 * Math.Abs(halfWidth), $"expected {expected}, got {actual}");
}
