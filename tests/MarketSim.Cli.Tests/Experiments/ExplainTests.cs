using MarketSim.Client;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests.Experiments;

/// <summary><c>marketsim explain</c> on a tiny market: 2 levers (hardware acts: the H100 rental falls in 2024;
/// technique does not: no compression event, no release), 2 seeds.</summary>
public sealed class ExplainTests
{
    private static readonly string[] Args = ["--seeds", "2", "--levers", "hardware,technique", "--ticks", "15", "--parallel", "2"];

    private static async Task<string> ExplainAsync(string engine)
    {
        var outDir = Path.Combine(TempDirectory(), "explain-" + engine);
        var result = await RunAsync(["explain", Fixture("tiny.yaml"), .. Args, "--engine", engine, "--out", outDir]);
        Assert.True(result.ExitCode == 0, result.Err + result.Out);
        Assert.Contains("residual", result.Out);
        return outDir;
    }

    [Fact]
    public async Task Shares_and_residual_sum_to_the_full_change_and_a_lever_without_effect_gets_nothing()
    {
        var outDir = await ExplainAsync("reference");

        var rows = ReadCsv(Path.Combine(outDir, "explain.csv"));
        Assert.Equal(3 * 4, rows.Count);
        foreach (var series in new[] { "frontier", "mid", "small" })
        {
            var of = rows.Where(r => r["series"] == series).ToDictionary(r => r["component"]);
            Assert.Equal(["hardware", "technique", "residual", "total"], of.Keys);
            var sum = Real(of["hardware"]["log_change_mean"]) + Real(of["technique"]["log_change_mean"]) + Real(of["residual"]["log_change_mean"]);
            Assert.Equal(Real(of["total"]["log_change_mean"]), sum, 1e-9);
            Assert.True(Real(of["total"]["sum_check"]) <= 1e-9);
            Assert.Equal(0.0, Real(of["technique"]["log_change_mean"]));
            Assert.Equal(0.0, Real(of["technique"]["share_mean"]));
            Assert.NotEqual(0.0, Real(of["hardware"]["log_change_mean"]));
            Assert.Equal("2", of["total"]["n"]);
        }
        var runs = ReadCsv(Path.Combine(outDir, "explain-runs.csv"));
        Assert.Equal(4 * 2 * 3, runs.Count);
        Assert.Equal(["all-on", "off-hardware", "off-hardware+technique", "off-technique"], runs.Select(r => r["combination"]).Distinct().Order(StringComparer.Ordinal));
        foreach (var file in new[] { "explain.parquet", "report.html", "charts/waterfall-frontier.png", "charts/waterfall-mid.png", "charts/waterfall-small.png" })
            Assert.True(new FileInfo(Path.Combine(outDir, file)) is { Exists: true, Length: > 0 }, file);
        Assert.Contains("data-key=\"mid/hardware\"", File.ReadAllText(Path.Combine(outDir, "report.html")));
    }

    [Fact]
    public async Task The_orleans_engine_gives_the_same_explanation_as_the_reference_engine()
    {
        var reference = await ExplainAsync("reference");
        var orleans = await ExplainAsync("orleans");

        Assert.Equal(File.ReadAllText(Path.Combine(reference, "explain.csv")), File.ReadAllText(Path.Combine(orleans, "explain.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(reference, "explain-runs.csv")), File.ReadAllText(Path.Combine(orleans, "explain-runs.csv")));
    }

    [Fact]
    public async Task The_capability_price_is_explained_per_capability_level()
    {
        var outDir = Path.Combine(TempDirectory(), "explain-capability");
        var result = await RunAsync(["explain", Fixture("tiny.yaml"), .. Args, "--engine", "reference", "--metric", "capability-price", "--window", "3", "--out", outDir]);

        Assert.True(result.ExitCode == 0, result.Err + result.Out);
        var rows = ReadCsv(Path.Combine(outDir, "explain.csv"));
        Assert.Equal(["frontier-start", "mid-start", "small-start"], rows.Select(r => r["series"]).Distinct());
        Assert.All(rows, r => Assert.True(Real(r["sum_check"]) <= 1e-9));
        Assert.True(File.Exists(Path.Combine(outDir, "charts", "waterfall-mid-start.png")));
    }

    [Theory]
    [InlineData("speed", "--levers: unknown lever 'speed' (fix: a comma-separated list of hardware, technique, competition, scale, entry, releases")]
    [InlineData("hardware,hardware", "--levers: lever 'hardware' is listed twice")]
    [InlineData(",", "--levers: no lever given")]
    public async Task A_bad_lever_list_is_bad_input_with_a_fix(string levers, string message)
    {
        var result = await RunAsync("explain", Fixture("tiny.yaml"), "--levers", levers, "--engine", "reference", "--out", TempDirectory());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }

    [Fact]
    public async Task An_unknown_lever_value_is_bad_input_with_the_path_and_a_fix()
    {
        var result = await RunAsync("run", Fixture("tiny.yaml"), "--set", "levers.hardware=frozn", "--engine", "reference", "--out", TempDirectory());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("levers.hardware: unknown hardware 'frozn' (fix: did you mean 'frozen'?", result.Err);
    }

    [Fact]
    public async Task An_experiment_variant_can_set_a_lever_and_a_bad_lever_value_names_the_variant()
    {
        var dir = TempDirectory();
        var experiment = Path.Combine(dir, "levers.yaml");
        File.WriteAllText(experiment, $"""
            name: levers
            scenario: {Fixture("tiny.yaml")}
            replications: 2
            variants:
              - name: live
              - name: hardware-frozen
                set: ["levers.hardware=frozen"]
            metrics: [mean_price_index_mid]
            """);
        Assert.Equal(0, (await RunAsync("validate", experiment)).ExitCode);

        File.WriteAllText(experiment, File.ReadAllText(experiment).Replace("levers.hardware=frozen", "levers.competition=of"));
        var bad = await RunAsync("validate", experiment);

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("variant 'hardware-frozen' does not load: --set:1:20: levers.competition: unknown competition 'of' (fix: did you mean 'on'?", bad.Err + bad.Out);
    }

    [Fact]
    public void Shapley_values_are_exact_and_efficient()
    {
        // v(none) = 0, v({0}) = 1, v({1}) = 2, v(both) = 5: phi_0 = (1 + 3) / 2, phi_1 = (2 + 4) / 2.
        double[] v = [0, 1, 2, 5];
        Assert.Equal([2.0, 3.0], Shapley.Values(2, m => v[m]));
        double[] w = [0.3, -0.2, 0.7, 1.1, -0.5, 0.25, 0.9, -1.3];
        Assert.Equal(w[7] - w[0], Shapley.Values(3, m => w[m]).Sum(), 1e-12);
    }
}
