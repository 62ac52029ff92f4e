using MarketSim.Model.Tests.Scenarios;

namespace MarketSim.Model.Tests.Engine;

/// <summary>A logit segment (docs/MODEL.md section 7.5): each tick its customers split between the offers and the
/// outside good in the shares of <see cref="Logit.Shares"/> at the list prices on the board.</summary>
public sealed class LogitSegmentTests
{
    private static Scenario LogitDuopoly(params string[] overrides)
    {
        var result = ScenarioLoader.Load(Path.Combine(Fixtures.RepositoryRoot, "config", "scenarios", "logit-duopoly.yaml"), overrides);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Scenario!;
    }

    [Theory]
    [InlineData(0.25, 0.0)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.25, 0.5)]
    public void The_segments_tokens_split_in_the_logit_shares_of_the_list_prices(double mu, double outside)
    {
        var scenario = LogitDuopoly("ticks=12", $"customers.segments.longtail.mu={mu}", $"customers.segments.longtail.outsideUtility={outside}");
        var engine = new ReferenceEngine(new MarketSetup(scenario));
        const int customers = 1000;
        const long perCustomer = 1_000_000;   // dailyTokensMillions 1, demandSpread 0

        while (!engine.Finished)
        {
            var o = engine.Step();
            var mid = Tiers.IndexOf("mid");
            double[] utilities = [.. o.Providers.Select(p => 2 - p.Tiers[mid].ListPrice / 1e6)];
            var expected = new double[utilities.Length];
            var outsideShare = Logit.Shares(utilities, outside, mu, expected);
            for (var p = 0; p < expected.Length; p++)
            {
                var buyers = o.Providers[p].Tiers[mid].DemandTokens / (double)perCustomer;
                // The golden-ratio points put each offer's share of the 1,000 customers within two customers.
                Assert.InRange(buyers, customers * expected[p] - 2, customers * expected[p] + 2);
                Assert.Equal(o.Providers[p].Tiers[mid].DemandTokens, o.Providers[p].Tiers[mid].ServedTokens);
            }
            var bought = o.Providers.Sum(p => p.Tiers[mid].DemandTokens) / (double)perCustomer;
            Assert.InRange(customers - bought, customers * outsideShare - 2, customers * outsideShare + 2);
        }
    }

    [Fact]
    public void The_cheaper_host_takes_about_four_fifths_of_the_market_at_the_shipped_markups()
    {
        var engine = new ReferenceEngine(new MarketSetup(LogitDuopoly("ticks=1")));
        var o = engine.Step();
        var mid = Tiers.IndexOf("mid");
        // Unit cost 0.907 $/M: prices 1.361 and 1.814; shares exp(2.557), exp(0.742), 1 over their sum: 0.806, 0.131, 0.062.
        Assert.Equal(805_000_000, o.Providers[0].Tiers[mid].ServedTokens);
        Assert.Equal(132_000_000, o.Providers[1].Tiers[mid].ServedTokens);
        Assert.Equal(0, o.Switches);
    }

    [Fact]
    public void A_logit_segment_beside_a_constant_elasticity_one_leaves_the_other_segments_choice_alone()
    {
        // small.yaml with its long tail turned into a logit segment: it runs, conserving money and tokens.
        var result = ScenarioLoader.Load(Path.Combine(Fixtures.RepositoryRoot, "config", "scenarios", "small.yaml"),
            ["ticks=20", "customers.segments.longtail.kind=logit", "customers.segments.longtail.mu=0.5"]);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var ticks = TestMarkets.Run(result.Scenario!, out _);
        Assert.All(ticks, MarketLawTests.AssertConserved);
        Assert.True(ticks[^1].Segments[Segments.IndexOf("longtail")].ServedTokens > 0);
    }
}
