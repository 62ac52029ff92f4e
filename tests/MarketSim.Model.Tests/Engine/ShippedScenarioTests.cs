using MarketSim.Model.Tests.Scenarios;

namespace MarketSim.Model.Tests.Engine;

/// <summary>Every shipped scenario runs to its horizon (at most <see cref="MostTicks"/> ticks: the learning runs are
/// millions long) on the reference engine and obeys the conservation laws on every tick.</summary>
public sealed class ShippedScenarioTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(HorizonTests.RepositoryRoot(), "config", "scenarios"), "*.yaml").Order())
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Runs_to_its_horizon_conserving_money_and_tokens_on_every_tick(string file)
    {
        var result = ScenarioLoader.Load(Path.Combine(HorizonTests.RepositoryRoot(), "config", "scenarios", file));
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        result.Scenario!.Ticks = Math.Min(result.Scenario.Ticks, MostTicks);
        var ticks = TestMarkets.Run(result.Scenario!, out var fingerprint);
        Assert.Equal(result.Scenario!.Ticks, ticks.Count);
        Assert.All(ticks, MarketLawTests.AssertConserved);
        Assert.True(ticks.Sum(t => t.CustomersPaidMicros) > 0, "the market traded nothing");
        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
    }

    /// <summary>The longest run this test makes of a scenario.</summary>
    public const int MostTicks = 3650;

    [Fact]
    public void Eleven_scenarios_are_shipped() =>
        Assert.Equal(["baseline.yaml", "calvano-2020.yaml", "china-price-war.yaml", "compression-breakthrough.yaml", "duopoly.yaml", "gpu-glut.yaml", "logit-duopoly.yaml", "low-cost-entrant.yaml", "monopolist.yaml", "price-war.yaml", "small.yaml"],
            Directory.GetFiles(Path.Combine(HorizonTests.RepositoryRoot(), "config", "scenarios"), "*.yaml").Select(Path.GetFileName).Order());
}
