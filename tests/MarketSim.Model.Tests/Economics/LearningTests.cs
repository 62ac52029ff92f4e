using MarketSim.Model.Randomness;

namespace MarketSim.Model.Tests.Economics;

public sealed class LearningTests
{
    [Fact]
    public void A_learning_monopolist_facing_constant_elasticity_demand_finds_the_Lerner_price()
    {
        // q = p^-e with e = 2 and unit cost c = 1: profit (p - c) p^-e peaks at c e / (e - 1) = 2.
        const double c = 1, e = 2;
        var lerner = c * e / (e - 1);
        const int grid = 15;
        const double low = 1.0, high = 3.0;
        // A monopolist has no rival whose price could matter, so its state is constant.
        var learner = new QLearner(grid, alpha: 0.15, delta: 0.95, beta: 5e-5);
        var state = learner.StateOf(0);
        for (var t = 0; t < 200_000; t++)
        {
            var rng = RandomStream.For(42, 1, t, Purpose.Exploration);
            var action = learner.Choose(state, t, ref rng);
            var price = QLearner.GridPrice(low, high, grid, action);
            var profit = (price - c) * Math.Pow(price, -e);
            learner.Learn(state, action, profit, state);
        }
        var learned = QLearner.GridPrice(low, high, grid, learner.Greedy(state));
        Assert.Equal(lerner, learned, (high - low) / (grid - 1) + 1e-9);
    }

    /// <summary>Calvano et al. (2020): two Q-learners under logit demand learn prices above the competitive
    /// (Bertrand-Nash) level.</summary>
    [Fact]
    public void Two_Q_learners_under_logit_demand_end_above_the_competitive_price()
    {
        const double c = 1, a = 2, a0 = 0, mu = 0.25;
        static double[] Shares(double p1, double p2)
        {
            var e1 = Math.Exp((a - p1) / mu);
            var e2 = Math.Exp((a - p2) / mu);
            var sum = e1 + e2 + Math.Exp(a0 / mu);
            return [e1 / sum, e2 / sum];
        }
        double Profit(double own, double rival) => (own - c) * Shares(own, rival)[0];

        // Competitive (Nash) and joint-monopoly prices, computed here by brute force.
        double BestResponse(double rival)
        {
            double best = c, bestProfit = double.MinValue;
            for (var p = c; p < 3; p += 1e-4)
                if (Profit(p, rival) > bestProfit) { bestProfit = Profit(p, rival); best = p; }
            return best;
        }
        var nash = 1.5;
        for (var i = 0; i < 50; i++) nash = BestResponse(nash);
        double monopoly = c, joint = double.MinValue;
        for (var p = c; p < 3; p += 1e-4)
            if (2 * Profit(p, p) > joint) { joint = 2 * Profit(p, p); monopoly = p; }
        Assert.Equal(1.473, nash, 2);
        Assert.Equal(1.925, monopoly, 2);

        const int grid = 15;
        var low = nash - 0.1 * (monopoly - nash);
        var high = monopoly + 0.1 * (monopoly - nash);
        var learners = new[] { new QLearner(grid, 0.15, 0.95, 2e-5), new QLearner(grid, 0.15, 0.95, 2e-5) };
        var last = new[] { 0, 0 };
        double sumPrice = 0;
        const int periods = 400_000, window = 10_000;
        for (var t = 0; t < periods; t++)
        {
            var s0 = learners[0].StateOf(last[1]);
            var s1 = learners[1].StateOf(last[0]);
            var r0 = RandomStream.For(7, 0, t, Purpose.Exploration);
            var r1 = RandomStream.For(7, 1, t, Purpose.Exploration);
            var x0 = learners[0].Choose(s0, t, ref r0);
            var x1 = learners[1].Choose(s1, t, ref r1);
            var p0 = QLearner.GridPrice(low, high, grid, x0);
            var p1 = QLearner.GridPrice(low, high, grid, x1);
            learners[0].Learn(s0, x0, Profit(p0, p1), learners[0].StateOf(x1));
            learners[1].Learn(s1, x1, Profit(p1, p0), learners[1].StateOf(x0));
            last[0] = x0;
            last[1] = x1;
            if (t >= periods - window) sumPrice += (p0 + p1) / 2;
        }
        var average = sumPrice / window;
        Assert.True(average > nash + 0.1 * (monopoly - nash),
            $"average price {average:F3} is not above the competitive price {nash:F3} (monopoly {monopoly:F3})");
    }
}
