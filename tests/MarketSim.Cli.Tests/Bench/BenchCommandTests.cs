using MarketSim.Model.Scenarios;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests.Bench;

/// <summary>The bench in a tiny size: every field of the report is there with a sane value. Not a timed
/// assertion; the figures come from the full bench (docs/PERFORMANCE.md).</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Tiny_bench_writes_a_report_with_every_field()
    {
        var path = Path.Combine(TempDirectory(), "bench.json");

        var result = await RunAsync("bench", "--customers", "2000", "--providers", "4", "--ticks", "5", "--out", path);

        Assert.True(result.ExitCode == 0, result.Err);
        var report = ReadJson(path);
        Assert.True(report.GetProperty("machine").GetProperty("cores").GetInt32() >= 1);
        var scenario = report.GetProperty("scenario");
        Assert.Equal(2000, scenario.GetProperty("customers").GetInt32());
        Assert.Equal(4, scenario.GetProperty("providers").GetInt32());
        Assert.Equal(5, scenario.GetProperty("ticks").GetInt32());
        foreach (var engine in new[] { "reference", "orleans" })
        {
            var rate = report.GetProperty("customer_ticks_per_second").GetProperty(engine).GetDouble();
            Assert.True(rate > 0 && double.IsFinite(rate), $"{engine} rate {rate}");
            var rss = report.GetProperty("peak_rss_bytes").GetProperty(engine).GetInt64();
            Assert.InRange(rss, 10L << 20, 8L << 30);
            var perCustomer = report.GetProperty("bytes_per_customer").GetProperty(engine).GetDouble();
            Assert.Equal(rss / 2000.0, perCustomer, 6);
            var figures = report.GetProperty("engines").GetProperty(engine);
            Assert.Equal(5, figures.GetProperty("ticks").GetInt32());
            Assert.Equal(4, figures.GetProperty("providers").GetInt32());
            Assert.True(figures.GetProperty("run_seconds").GetDouble() > 0);
            Assert.Matches("^[0-9a-f]{64}$", figures.GetProperty("fingerprint").GetString());
        }
        var ratio = report.GetProperty("ratio_orleans_to_reference").GetDouble();
        Assert.True(ratio > 0 && double.IsFinite(ratio));
        // One silo, so one agent group holding every agent: the whole tick is one call.
        Assert.Equal(1, report.GetProperty("grain_messages_per_tick").GetDouble());
        // The coordinator sends the view (4 providers x 4 tiers of prices, qualities, sales: a few hundred bytes) and gets
        // the tick's observation and the next view back (more: every provider's report).
        var bytes = report.GetProperty("coordinator_bytes_per_tick");
        Assert.InRange(bytes.GetProperty("sent").GetDouble(), 200, 10 << 10);
        Assert.InRange(bytes.GetProperty("received").GetDouble(), bytes.GetProperty("sent").GetDouble(), 10 << 20);
        Assert.Equal(1, report.GetProperty("silos").GetInt32());
        Assert.True(report.GetProperty("fingerprints_match").GetBoolean());
        Assert.False(report.TryGetProperty("scaling", out _));
    }

    [Fact]
    public async Task Repeated_bench_reports_the_median_repetition_and_the_spread()
    {
        var path = Path.Combine(TempDirectory(), "bench.json");

        var result = await RunAsync("bench", "--customers", "2000", "--providers", "4", "--ticks", "3", "--repeat", "3", "--out", path);

        Assert.True(result.ExitCode == 0, result.Err);
        var report = ReadJson(path);
        var ratios = report.GetProperty("repetitions").EnumerateArray()
            .Select(r => r.GetProperty("ratio_orleans_to_reference").GetDouble()).Order().ToArray();
        Assert.Equal(3, ratios.Length);
        Assert.Equal(ratios[1], report.GetProperty("ratio_orleans_to_reference").GetDouble());
        Assert.Equal(ratios[0], report.GetProperty("ratio_min").GetDouble());
        Assert.Equal(ratios[2], report.GetProperty("ratio_max").GetDouble());
        var main = report.GetProperty("customer_ticks_per_second");
        Assert.Equal(ratios[1], main.GetProperty("orleans").GetDouble() / main.GetProperty("reference").GetDouble(), 12);
        Assert.Contains("median of 3", result.Out);
        Assert.True(report.GetProperty("fingerprints_match").GetBoolean());
    }

    [Fact]
    public async Task Bench_rejects_a_nonpositive_size()
    {
        var result = await RunAsync("bench", "--customers", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--customers", result.Err);
    }

    [Theory]
    [InlineData("0", "must be at least 1")]
    [InlineData("17", "must be at most 16")]
    [InlineData("two", "a whole number")]
    public async Task Bench_rejects_a_bad_number_of_silos(string silos, string message)
    {
        var result = await RunAsync("bench", "--customers", "2000", "--silos", silos);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--silos", result.Err);
        Assert.Contains(message, result.Err);
    }

    [Fact]
    public void Scaling_reaches_ten_million_customers_in_a_hundred_ticks()
    {
        Assert.Equal([10_000, 100_000, 1_000_000, 10_000_000], MarketSim.Cli.Commands.BenchCommand.ScalingSizes);
        Assert.Equal(100, MarketSim.Cli.Commands.BenchCommand.ScalingTicks);
    }

    /// <summary>The Orleans engine on a two-silo cluster of this machine (scripts/cluster.sh: Redis and two silo
    /// processes), started and stopped by the bench: the same fingerprint as the reference engine, and nothing left
    /// running.</summary>
    [Fact]
    public async Task Bench_on_two_silos_matches_the_reference_and_stops_its_cluster()
    {
        if (!File.Exists("/usr/bin/redis-server") && !File.Exists("/usr/local/bin/redis-server")) return;   // no Redis here
        var path = Path.Combine(TempDirectory(), "bench.json");

        var result = await RunAsync("bench", "--customers", "2000", "--providers", "4", "--ticks", "3", "--silos", "2", "--out", path);

        Assert.True(result.ExitCode == 0, result.Err);
        var report = ReadJson(path);
        Assert.Equal(2, report.GetProperty("silos").GetInt32());
        Assert.True(report.GetProperty("fingerprints_match").GetBoolean());
        var orleans = report.GetProperty("engines").GetProperty("orleans");
        Assert.True(orleans.GetProperty("silo_peak_rss_bytes").GetInt64() > 0);
        // Two groups: Plan and Settle to both, Negotiate, Demand and Consume to the one with the (only) block, and Decide
        // to each group whose providers received contract requests: 7 to 9 calls a tick.
        Assert.InRange(report.GetProperty("grain_messages_per_tick").GetDouble(), 7, 9);
        var folder = System.Text.RegularExpressions.Regex.Match(result.Err, @"state in (\S+)\)").Groups[1].Value;
        Assert.False(Directory.Exists(folder), $"the cluster's folder {folder} is left");
    }

    [Fact]
    public void Scaled_scenario_clones_providers_and_keeps_capacity_per_customer()
    {
        var baseline = ScenarioInput.Load(MarketSim.Cli.Bench.BenchScenario.FindBaseline()!, []);
        var scaled = MarketSim.Cli.Bench.BenchScenario.Scale(baseline, 40_000, 20, 10);

        Assert.Equal(40_000, scaled.Customers.Count);
        Assert.Equal(10, scaled.Ticks);
        Assert.Equal(20, scaled.Providers.Count);
        Assert.Equal(scaled.Providers.Count, scaled.Providers.Select(p => p.Id).Distinct().Count());
        static double Gpus(Scenario s) => s.Providers.Sum(p => p.Fleet.Sum(f => f.Count));
        Assert.InRange(Gpus(scaled) / Gpus(baseline), 1.9, 2.1);
        _ = new MarketSim.Model.Engine.MarketSetup(scaled);   // every event still resolves
    }
}
