using System.Globalization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;
using MarketSim.Model.Engine;
using MarketSim.Model.Scenarios;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests.Experiments;

/// <summary><c>marketsim calibrate</c>: a synthetic recovery (data made by the model with known parameters, another
/// seed and 2 % noise; the calibration must find them within its intervals), resumption from the journal, the
/// calibrated scenario, and bad input.</summary>
public sealed class CalibrateTests
{
    private const double TrueMarkup = 3.0;
    private const double TrueElasticity = 1.4;
    private static readonly string Small = RepoFile("config", "scenarios", "small.yaml");
    private static readonly string[] Market = ["--set", "customers.count=1500"];
    private static readonly string[] Fits =
        ["--fit", "providers.cloud.pricing.markup=1.5..5", "--fit", "customers.segments.nlp.elasticity=0.8..3", "--max-evaluations", "40"];

    /// <summary>A target file from one run of small.yaml at the true parameters with seed 99 (the calibration runs
    /// other seeds): three series every 7 days, each the run's 7-day mean times exp(N(0, 0.02)).</summary>
    private static async Task<string> SyntheticTargetAsync()
    {
        var runDir = Path.Combine(TempDirectory(), "calibrate-truth");
        var run = await RunAsync(["run", Small, "--engine", "reference", "--seed", "99", "--no-report", "--out", runDir, .. Market,
            "--set", $"providers.cloud.pricing.markup={TrueMarkup.ToString(CultureInfo.InvariantCulture)}",
            "--set", $"customers.segments.nlp.elasticity={TrueElasticity.ToString(CultureInfo.InvariantCulture)}"]);
        Assert.True(run.ExitCode == 0, run.Err + run.Out);
        var market = ReadCsv(Path.Combine(runDir, "market.csv"));
        var noise = new Normal(0, 0.02, new Xoshiro256StarStar(1));
        var lines = new List<string> { "date,series,value,weight,source" };
        for (var tick = 3; tick < market.Count; tick += 7)
            foreach (var (column, series) in new[] { ("price_index_frontier", "price_index:frontier"), ("price_index_mid", "price_index:mid"), ("tokens_served", "tokens_served") })
            {
                var window = market.Skip(tick - 3).Take(7).Select(r => r[column]).Where(v => v.Length > 0).Select(Real).Where(v => v > 0).ToList();
                var value = window.Average() * Math.Exp(noise.Sample());
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{market[tick]["date"]},{series},{value:R},1,synthetic (seed 99)"));
            }
        var target = Path.Combine(TempDirectory(), "calibrate-target.csv");
        await File.WriteAllLinesAsync(target, lines);
        return target;
    }

    [Fact]
    public async Task A_synthetic_calibration_recovers_the_known_parameters_within_its_intervals_and_resumes_from_its_journal()
    {
        var target = await SyntheticTargetAsync();
        var outDir = Path.Combine(TempDirectory(), "calibrate-synthetic");
        var result = await RunAsync(["calibrate", Small, "--target", target, .. Market, .. Fits, "--out", outDir]);
        Assert.True(result.ExitCode == 0, result.Err + result.Out);

        var estimates = ReadCsv(Path.Combine(outDir, "parameters.csv")).ToDictionary(r => r["parameter"]);
        foreach (var (path, truth, start) in new[] { ("providers.cloud.pricing.markup", TrueMarkup, 2.5), ("customers.segments.nlp.elasticity", TrueElasticity, 1.8) })
        {
            var e = estimates[path];
            Assert.Equal("true", e["identified"]);
            var (low, high) = (Real(e["ci95_low"]), Real(e["ci95_high"]));
            Assert.True(low <= truth && truth <= high, $"{path}: {truth} outside [{low}, {high}]");
            Assert.True(low > start || high < start, $"{path}: the interval [{low}, {high}] still holds the start {start}: the data told nothing");
            Assert.True(high - low < 0.5 * (Real(e["high_bound"]) - Real(e["low_bound"])), $"{path}: [{low}, {high}] spans half the bounds");
        }
        var fit = ReadCsv(Path.Combine(outDir, "fit.csv"));
        Assert.Equal(27, fit.Count);
        Assert.All(fit, r => Assert.True(Math.Abs(Real(r["residual"])) < 0.25, $"{r["series"]} {r["date"]}: residual {r["residual"]}"));

        // The calibrated scenario extends small.yaml with the estimates.
        var calibrated = Path.Combine(outDir, "calibrated.yaml");
        var text = await File.ReadAllTextAsync(calibrated);
        Assert.Contains("extends: ", text);
        var loaded = ScenarioLoader.Load(calibrated);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        Assert.Equal(Real(estimates["providers.cloud.pricing.markup"]["estimate"]), loaded.Scenario!.Providers.Single(p => p.Id == "cloud").Pricing.Markup);
        Assert.Equal(Real(estimates["customers.segments.nlp.elasticity"]["estimate"]), loaded.Scenario.Customers.Segments["nlp"].Elasticity);
        Assert.Equal(1500, loaded.Scenario.Customers.Count);

        // Run again into the same folder: every evaluation comes from the journal, and the result is the same.
        var again = await RunAsync(["calibrate", Small, "--target", target, .. Market, .. Fits, "--out", outDir]);
        Assert.True(again.ExitCode == 0, again.Err + again.Out);
        Assert.Contains("resuming: 44 evaluations", again.Out);
        Assert.Contains("44 evaluations (44 from the journal)", again.Out);
        Assert.Equal(estimates["providers.cloud.pricing.markup"]["estimate"], ReadCsv(Path.Combine(outDir, "parameters.csv"))[0]["estimate"]);

        // Other inputs into the same folder are refused, the earlier results kept.
        var other = await RunAsync(["calibrate", Small, "--target", target, .. Market, .. Fits, "--seeds", "2", "--out", outDir]);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("holds a calibration of other inputs", other.Err);
        Assert.True(File.Exists(Path.Combine(outDir, "parameters.csv")));
    }

    [Fact]
    public async Task The_shipped_target_data_reads_against_the_baseline()
    {
        var target = RepoFile("config", "data", "baseline-targets.csv");
        var setup = new MarketSetup(ScenarioLoader.Load(RepoFile("config", "scenarios", "baseline.yaml")).Scenario!);
        var (rows, problems) = Client.Calibration.TargetFile.Parse(await File.ReadAllTextAsync(target), target, setup);
        Assert.Empty(problems);
        Assert.True(rows.Count >= 20, $"{rows.Count} rows");
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Source), $"line {r.Line} has no source"));
        Assert.Contains(rows, r => r.Series.Kind == "revenue_share");
        Assert.Contains(rows, r => r.Series.Kind == "capability_price");
    }

    public static TheoryData<string, string, string> BadTargets => new()
    {
        { "date,series,value\n2023-03-10,price_index:frontier,30\n2023-03-11,price_index:giant,3\n", ":3: unknown name 'giant' in series 'price_index:giant'", "fix: use one of" },
        { "date,series,value\n2023-03-10,price_index:frontier,30\n2024-01-01,price_index:mid,3\n", ":3: date 2024-01-01 is outside the run (2023-03-01 to 2023-04-29)", "run longer" },
        { "date,series,value\n2023-03-10,tokens_served,lots\n", ":2: value 'lots' is not a number", "fix: write a number" },
        { "date,series,value\n2023-03-10,token_share:cloud,1.5\n", ":2: value 1.5 of token_share:cloud must be a share from 0 to 1", "fix:" },
        { "when,series,value\n2023-03-10,tokens_served,1\n", ":1: the header lacks date", "fix: the header is 'date,series,value,weight,source'" },
        { "date,series,value\n10/03/2023,tokens_served,1\n", ":2: date '10/03/2023' is not a date", "yyyy-MM-dd" },
        { "date,series,value\n2023-03-10,volume,1\n", ":2: unknown series 'volume'", "tokens_served" },
    };

    [Theory]
    [MemberData(nameof(BadTargets))]
    public async Task A_bad_target_file_is_refused_with_its_line_and_a_fix(string content, string message, string fix)
    {
        var target = Path.Combine(TempDirectory(), $"bad-target-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(target, content);
        var result = await RunAsync(["calibrate", Small, "--target", target, "--fit", "providers.cloud.pricing.markup=1.5..5", "--out", Path.Combine(TempDirectory(), "bad-cal")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(target + message, result.Err);
        Assert.Contains(fix, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }

    [Theory]
    [InlineData("providers.cloud.strategy", "'providers.cloud.strategy' is a choice of names, not a real number")]
    [InlineData("name=0..1", "'name' is a text, not a real number")]
    [InlineData("ticks=10..20", "'ticks' is a whole number (calibrate fits real numbers only)")]
    [InlineData("providers.cloud.pricing.markupp=1..2", "is not a field of the scenario: 'providers.cloud.pricing' has no field 'markupp'")]
    [InlineData("providers.cloud.pricing.markup=5..1", "the range 5..1 of 'providers.cloud.pricing.markup' is empty")]
    [InlineData("providers.cloud.pricing.markup=a..b", "'a..b' is not a range LOW..HIGH")]
    [InlineData("providers.2.pricing.markup=1..3", "a list element is picked by position")]
    [InlineData("providers.cloud.minMargin=-5..-1", "the scenario is invalid at -5")]
    public async Task A_fit_path_that_is_not_a_number_of_the_scenario_is_refused_with_a_fix(string fit, string message)
    {
        var target = Path.Combine(TempDirectory(), "ok-target.csv");
        await File.WriteAllTextAsync(target, "date,series,value\n2023-03-10,price_index:frontier,30\n2023-03-17,price_index:frontier,30\n");
        var result = await RunAsync(["calibrate", Small, "--target", target, "--fit", fit, "--out", Path.Combine(TempDirectory(), "bad-fit")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Err);
        Assert.Contains("fix:", result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }

    [Fact]
    public async Task A_control_character_in_a_target_file_is_quoted_not_written_to_the_terminal()
    {
        var target = Path.Combine(TempDirectory(), "hostile-target.csv");
        await File.WriteAllTextAsync(target, "date,series,value\n2023-03-10,price_index:\u001b[2Jx,30\n");
        var result = await RunAsync(["calibrate", Small, "--target", target, "--fit", "providers.cloud.pricing.markup", "--out", Path.Combine(TempDirectory(), "hostile")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("\\u001b[2Jx", result.Err);
        Assert.DoesNotContain('\u001b', result.Err);
    }

    [Fact]
    public async Task The_orleans_engine_gives_the_same_calibration_as_the_reference_engine()
    {
        var target = Path.Combine(TempDirectory(), "engines-target.csv");
        await File.WriteAllTextAsync(target, "date,series,value\n2023-03-10,price_index:frontier,30\n2023-03-24,price_index:frontier,28\n2023-04-07,price_index:mid,2\n");
        string[] args = ["--target", target, "--fit", "providers.cloud.pricing.markup=1.5..5", "--max-evaluations", "6", "--seeds", "2", "--ticks", "45"];
        var reference = Path.Combine(TempDirectory(), "calibrate-reference");
        var orleans = Path.Combine(TempDirectory(), "calibrate-orleans");
        var r = await RunAsync(["calibrate", Small, .. args, "--engine", "reference", "--out", reference]);
        Assert.True(r.ExitCode == 0, r.Err + r.Out);
        var o = await RunAsync(["calibrate", Small, .. args, "--engine", "orleans", "--out", orleans]);
        Assert.True(o.ExitCode == 0, o.Err + o.Out);
        foreach (var file in new[] { "parameters.csv", "fit.csv", "evaluations.csv" })
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(reference, file)), await File.ReadAllTextAsync(Path.Combine(orleans, file)));
    }

    [Fact]
    public async Task A_missing_target_file_is_refused()
    {
        var result = await RunAsync(["calibrate", Small, "--target", "no-such-targets.csv", "--fit", "providers.cloud.pricing.markup", "--out", Path.Combine(TempDirectory(), "no-target")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no-such-targets.csv: no such target file (fix:", result.Err);
    }

    private static double Real(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
