using MarketSim.Model.Economics;
using MarketSim.Model.Scenarios;
using MarketSim.Model.Tests.Scenarios;

namespace MarketSim.Model.Tests.Engine;

/// <summary>The calvano strategy in the engine (docs/MODEL.md 9.7): its grid is the paper's, its learner's state is part
/// of the provider's state (a checkpoint resumes it exactly), and its rewards are the paper's profits.</summary>
public sealed class CalvanoStrategyTests
{
    private static Scenario Load(int ticks)
    {
        var result = ScenarioLoader.Load(Path.Combine(HorizonTests.RepositoryRoot(), "config", "scenarios", "calvano-2020.yaml"), [$"ticks={ticks}"]);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Scenario!;
    }

    [Fact]
    public void The_grid_spans_the_model_s_Nash_and_monopoly_prices_widened_by_a_tenth()
    {
        var setup = new MarketSetup(Load(10));
        var market = setup.CalvanoMarketOf(0, Tiers.IndexOf("mid"), 1.0, 15);
        Assert.Equal(1.4729, market.NashPrice, 4);
        Assert.Equal(1.9250, market.MonopolyPrice, 4);
        Assert.Equal(1.4277, market.Grids[0][0], 4);
        Assert.Equal(1.9702, market.Grids[0][14], 4);
        Assert.Equal(0.2229, market.NashProfit, 4);
        Assert.Equal(0.3375, market.MonopolyProfit, 4);
    }

    [Fact]
    public void The_firms_price_on_the_grid_and_the_unit_cost_is_one()
    {
        var ticks = TestMarkets.Run(Load(50), out _);
        var grid = new MarketSetup(Load(10)).CalvanoMarketOf(0, Tiers.IndexOf("mid"), 1.0, 15).Grids[0];
        Assert.All(ticks, t => Assert.All(t.Providers, p =>
        {
            var tier = p.Tiers[Tiers.IndexOf("mid")];
            Assert.Equal(1.0, tier.UnitCost, 12);
            Assert.Contains(grid, g => Math.Abs(g - tier.ListPrice / 1e6) < 1e-6);
        }));
    }

    [Fact]
    public void A_checkpoint_resumes_the_learners_exactly()
    {
        var whole = new ReferenceEngine(new MarketSetup(Load(400)));
        while (!whole.Finished) whole.Step();

        var first = new ReferenceEngine(new MarketSetup(Load(400)));
        for (var i = 0; i < 150; i++) first.Step();
        var resumed = new ReferenceEngine(new MarketSetup(Load(400)));
        resumed.Restore(first.Checkpoint());
        Assert.Equal(first.Fingerprint(), resumed.Fingerprint());
        while (!resumed.Finished) resumed.Step();
        Assert.Equal(whole.Fingerprint(), resumed.Fingerprint());
    }
}
