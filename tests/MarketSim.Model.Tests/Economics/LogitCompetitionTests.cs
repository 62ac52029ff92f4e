using MarketSim.Model.Economics;

namespace MarketSim.Model.Tests.Economics;

public sealed class LogitCompetitionTests
{
    /// <summary>Calvano et al. (2020, section III): p^N ~ 1.473, p^M ~ 1.925 in the baseline.</summary>
    [Fact]
    public void The_baseline_has_the_papers_Nash_and_monopoly_prices()
    {
        var market = LogitCompetition.Baseline();
        var nash = market.NashPrices();
        var monopoly = market.MonopolyPrices();
        foreach (var p in nash) Assert.Equal(1.4729, p, 1e-4);
        foreach (var p in monopoly) Assert.Equal(1.9250, p, 1e-4);
        // Profits the profit gain is measured against.
        foreach (var pi in market.ProfitsAt(nash)) Assert.Equal(0.2229, pi, 1e-4);
        foreach (var pi in market.ProfitsAt(monopoly)) Assert.Equal(0.3375, pi, 1e-4);
    }

    [Fact]
    public void Nash_prices_are_mutual_best_responses()
    {
        var market = new LogitCompetition([2.0, 2.5, 1.5], [1.0, 1.2, 0.8], a0: 0.3, mu: 0.4);
        var nash = market.NashPrices();
        var shares = new double[3];
        market.Shares(nash, shares);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(market.C[i] + LogitCompetition.BertrandMarkup(market.Mu, shares[i]), nash[i], 1e-10);
            // No unilateral deviation on a fine grid pays.
            var own = market.ProfitsAt(nash)[i];
            for (var d = -0.2; d <= 0.2; d += 0.001)
            {
                var deviation = (double[])nash.Clone();
                deviation[i] += d;
                Assert.True(market.ProfitsAt(deviation)[i] <= own + 1e-12);
            }
        }
    }

    [Fact]
    public void Monopoly_prices_maximise_total_profit_with_a_common_markup()
    {
        var market = new LogitCompetition([2.0, 2.5], [1.0, 1.3], a0: 0, mu: 0.25);
        var monopoly = market.MonopolyPrices();
        Assert.Equal(monopoly[0] - 1.0, monopoly[1] - 1.3, 1e-10);
        var best = market.ProfitsAt(monopoly).Sum();
        for (var d0 = -0.1; d0 <= 0.1; d0 += 0.005)
        for (var d1 = -0.1; d1 <= 0.1; d1 += 0.005)
            Assert.True(market.ProfitsAt([monopoly[0] + d0, monopoly[1] + d1]).Sum() <= best + 1e-12);
    }

    [Fact]
    public void Profit_gain_is_zero_at_Nash_and_one_at_monopoly()
    {
        Assert.Equal(0, LogitCompetition.ProfitGain(0.2229, 0.2229, 0.3375));
        Assert.Equal(1, LogitCompetition.ProfitGain(0.3375, 0.2229, 0.3375));
        Assert.Equal(0.5, LogitCompetition.ProfitGain(0.2802, 0.2229, 0.3375), 1e-12);
    }
}
