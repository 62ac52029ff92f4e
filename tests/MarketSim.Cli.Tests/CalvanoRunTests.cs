using System.Globalization;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests;

/// <summary>The calvano strategy through the engine (docs/MODEL.md 9.7): a reduced config/scenarios/calvano-2020.yaml
/// (exploration decaying 60 times faster than the paper's, 40,000 ticks) whose two learners end between the Nash and
/// the monopoly price with a profit gain well above 0; and the strategy refused on a market it cannot price.</summary>
public sealed class CalvanoRunTests
{
    /// <summary>The reduced run: beta = 2.5e-4, so exploration is exp(-10) by the last tick.</summary>
    public static readonly string[] Reduced =
    [
        "--engine", "reference", "--ticks", "40000", "--quiet", "--no-report",
        "--set", "providers.firm-1.pricing.learner.explorationDecay=0.00025",
        "--set", "providers.firm-2.pricing.learner.explorationDecay=0.00025",
    ];

    [Fact]
    public async Task Two_learners_end_between_the_Nash_and_the_monopoly_price_with_a_profit_gain()
    {
        var dir = TempDirectory();
        var result = await RunAsync(["run", RepoFile("config", "scenarios", "calvano-2020.yaml"), "--out", dir, .. Reduced]);
        Assert.True(result.ExitCode == 0, result.Err);
        var calvano = ReadJson(Path.Combine(dir, "summary.json")).GetProperty("calvano");
        Assert.Equal(20_000, calvano.GetProperty("windowTicks").GetInt32());
        foreach (var learner in calvano.GetProperty("learners").EnumerateArray())
        {
            var (nash, monopoly) = (learner.GetProperty("nashPrice").GetDouble(), learner.GetProperty("monopolyPrice").GetDouble());
            Assert.Equal(1.4729, nash, 4);
            Assert.Equal(1.9250, monopoly, 4);
            var price = learner.GetProperty("meanPrice").GetDouble();
            Assert.InRange(price, nash, monopoly);
            Assert.InRange(learner.GetProperty("profitGain").GetDouble(), 0.25, 1.0);
        }
        Assert.InRange(calvano.GetProperty("profitGain").GetDouble(), 0.25, 1.0);
    }

    [Fact]
    public async Task The_strategy_is_refused_on_a_market_without_a_logit_segment()
    {
        var result = await RunAsync("validate", RepoFile("config", "scenarios", "duopoly.yaml"),
            "--set", "providers.host-a.strategy=calvano");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("provider 'host-a' uses the calvano strategy, but the customers are not one segment of kind logit", result.Out + result.Err);
    }

    [Fact]
    public async Task A_strategy_change_to_calvano_is_refused()
    {
        var result = await RunAsync("validate", RepoFile("config", "scenarios", "calvano-2020.yaml"),
            "--set", "events.deviation.kind=strategy-change", "--set", "events.deviation.strategy=calvano");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a strategy-change event cannot switch a provider to the calvano strategy", result.Out + result.Err);
    }

    [Fact]
    public async Task The_strategy_is_refused_when_a_firm_has_two_models()
    {
        var dir = TempDirectory();
        var file = Path.Combine(dir, "two-models.yaml");
        var text = await File.ReadAllTextAsync(RepoFile("config", "scenarios", "calvano-2020.yaml"));
        text = text.Replace("      - { id: b-70b, tier: mid, parametersB: 70, quality: 0.7, logitQuality: 2 }",
            "      - { id: b-70b, tier: mid, parametersB: 70, quality: 0.7, logitQuality: 2 }\n      - { id: b-8b, tier: small, parametersB: 8, quality: 0.5, logitQuality: 1 }",
            StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text);
        var result = await RunAsync("validate", file);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("provider 'firm-2' does not serve exactly one model from the start", result.Out + result.Err);
    }
}

/// <summary>The paper's deviation experiment on the reduced run: firm 1 cuts its price by 15 % for the one tick 39,990
/// (the scenario's <c>deviation</c> price-cut event), and firm 2, seeing the cut on the market, lowers its price at the
/// next tick (for seeds 1 and 2, as for the paper's learners in most runs).</summary>
public sealed class CalvanoDeviationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_one_tick_price_cut_is_answered_by_the_rival_at_the_next_tick(int seed)
    {
        var dir = TempDirectory();
        var result = await RunAsync(["run", RepoFile("config", "scenarios", "calvano-2020.yaml"), "--out", dir, "--seed",
            seed.ToString(CultureInfo.InvariantCulture), "--sample-every", "1", "--set", "events.deviation.tick=39990", .. CalvanoRunTests.Reduced]);
        Assert.True(result.ExitCode == 0, result.Err);
        var rows = ReadCsv(Path.Combine(dir, "providers.csv"));
        double Price(int tick, string firm) => double.Parse(
            rows.Single(r => r["tick"] == tick.ToString(CultureInfo.InvariantCulture) && r["provider"] == firm)["list_price"], CultureInfo.InvariantCulture);
        Assert.True(Price(39990, "firm-1") < 0.9 * Price(39989, "firm-1"), "the cut");
        Assert.Equal(Price(39989, "firm-2"), Price(39990, "firm-2"));
        Assert.True(Price(39991, "firm-2") < Price(39990, "firm-2"), "the answer");
    }
}
