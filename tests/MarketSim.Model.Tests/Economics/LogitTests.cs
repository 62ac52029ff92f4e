using MarketSim.Model.Economics;
using MarketSim.Model.Randomness;

namespace MarketSim.Model.Tests.Economics;

public sealed class LogitTests
{
    [Fact]
    public void Shares_sum_to_one_minus_the_outside_share_and_follow_the_formula()
    {
        double[] u = [1.0, 0.5, -0.25];
        const double u0 = 0.2, mu = 0.5;
        var s = new double[3];
        var s0 = Logit.Shares(u, u0, mu, s);
        var denominator = u.Sum(x => Math.Exp(x / mu)) + Math.Exp(u0 / mu);
        for (var i = 0; i < 3; i++) Assert.Equal(Math.Exp(u[i] / mu) / denominator, s[i], 1e-15);
        Assert.Equal(Math.Exp(u0 / mu) / denominator, s0, 1e-15);
        Assert.Equal(1 - s0, s.Sum(), 1e-15);
    }

    [Fact]
    public void Shares_are_stable_for_utilities_that_would_overflow_and_without_an_outside_good()
    {
        var s = new double[2];
        var s0 = Logit.Shares([1000.0, 1000.0 - Math.Log(3) * 0.01], 0, 0.01, s);
        Assert.Equal(0.75, s[0], 1e-12);
        Assert.Equal(0.25, s[1], 1e-12);
        Assert.Equal(0, s0);

        s0 = Logit.Shares([2.0, 1.0], double.NegativeInfinity, 1, s);
        Assert.Equal(0, s0);
        Assert.Equal(1 / (1 + Math.Exp(-1)), s[0], 1e-15);
    }

    [Fact]
    public void Gumbel_inverts_the_extreme_value_distribution()
    {
        // F(x) = exp(-exp(-x)): the draw of u is the u-quantile.
        foreach (var u in new[] { 0.01, 0.3, 0.5, 0.9, 0.999 })
            Assert.Equal(u, Math.Exp(-Math.Exp(-Logit.Gumbel(u))), 1e-12);
        Assert.Equal(-Math.Log(Math.Log(2)), Logit.Gumbel(0.5), 1e-15);
    }

    [Fact]
    public void A_population_maximising_utility_plus_a_Gumbel_shock_has_logit_shares()
    {
        double[] u = [1.0, 0.5, -0.25];
        const double u0 = 0.2, mu = 0.5;
        const int customers = 200_000;
        var counts = new int[u.Length + 1];
        for (var k = 0; k < customers; k++)
        {
            var rng = RandomStream.For(11, k, 0, Purpose.Population);
            var best = u.Length; // the outside good
            var bestUtility = u0 + mu * Logit.Gumbel(rng.NextDouble());
            for (var i = 0; i < u.Length; i++)
            {
                var utility = u[i] + mu * Logit.Gumbel(rng.NextDouble());
                if (utility > bestUtility) { bestUtility = utility; best = i; }
            }
            counts[best]++;
        }
        var s = new double[u.Length];
        var s0 = Logit.Shares(u, u0, mu, s);
        double[] expected = [.. s, s0];
        for (var i = 0; i < expected.Length; i++)
        {
            var empirical = counts[i] / (double)customers;
            var standardError = Math.Sqrt(expected[i] * (1 - expected[i]) / customers);
            Assert.True(Math.Abs(empirical - expected[i]) < 4 * standardError,
                $"alternative {i}: empirical share {empirical:F4}, logit share {expected[i]:F4} (s.e. {standardError:F4})");
        }
    }
}
