using System.Diagnostics;
using MarketSim.Model.Economics;
using Xunit.Abstractions;

namespace MarketSim.Model.Tests.Economics;

public sealed class LearningGameTests(ITestOutputHelper output)
{
    /// <summary>A faster-cooling baseline: converges in a few hundred thousand periods instead of about 1.7 million.</summary>
    private static readonly LearningSpec Reduced = new() { Beta = 2e-5 };

    [Fact]
    public void Initial_Q_is_the_discounted_payoff_against_uniformly_randomising_rivals()
    {
        // m = 2, n = 2; joint action index a_0 + 2 a_1.
        double[] own0 = [1, 2, 3, 5];  // pi_0(0,0), pi_0(1,0), pi_0(0,1), pi_0(1,1)
        double[] own1 = [1, 2, 3, 5];  // pi_1 at the same joint actions
        var q0 = new double[2];
        CalvanoQLearner.InitialQ(own0, firm: 0, firms: 2, gridSize: 2, discount: 0.95, q0);
        Assert.Equal((1 + 3) / (0.05 * 2), q0[0], 1e-12); // 40
        Assert.Equal((2 + 5) / (0.05 * 2), q0[1], 1e-12); // 70
        CalvanoQLearner.InitialQ(own1, firm: 1, firms: 2, gridSize: 2, discount: 0.95, q0);
        Assert.Equal((1 + 2) / (0.05 * 2), q0[0], 1e-12); // 30
        Assert.Equal((3 + 5) / (0.05 * 2), q0[1], 1e-12); // 80
    }

    [Fact]
    public void The_state_holds_the_last_k_periods_joint_actions()
    {
        var learner = new CalvanoQLearner(firms: 2, gridSize: 3, memory: 2, alpha: 0.15, discount: 0.95, initialQ: [0.0, 0, 0], randomState: 1);
        Assert.Equal(81, learner.StateCount);
        Assert.Equal(2 + 3 * 1, learner.JointAction([2, 1]));
        // state = joint of the period before last * 9 + joint of the last period
        Assert.Equal(5 * 9 + 7, learner.NextState(learner.NextState(0, 5), 7));
        Assert.Equal(7 * 9 + 1, learner.NextState(5 * 9 + 7, 1));

        var memoryless = new CalvanoQLearner(firms: 1, gridSize: 3, memory: 0, alpha: 0.15, discount: 0.95, initialQ: [0.0, 0, 0], randomState: 1);
        Assert.Equal(1, memoryless.StateCount);
        Assert.Equal(0, memoryless.NextState(0, 2));
    }

    [Fact]
    public void Two_learners_with_two_periods_of_memory_converge_above_Nash()
    {
        var game = LearningGame.ForLogit(LogitCompetition.Baseline(), Reduced with { Memory = 2 }, seed: 4);
        Assert.Equal(15 * 15 * 15 * 15, game.Learners[0].StateCount);
        var outcome = game.Run();
        output.WriteLine($"k = 2: converged {outcome.Converged} at {outcome.Periods}, Delta {outcome.CycleProfitGain:F3}");
        Assert.True(outcome.ProfitGain > 0.1, $"Delta {outcome.ProfitGain:F3}");
    }

    [Fact]
    public void A_two_price_baseline_starts_from_hand_computed_Q_and_updates_by_the_papers_rule()
    {
        var spec = new LearningSpec { GridSize = 2, Xi = 0 }; // grid {p_N, p_M}
        var game = LearningGame.ForLogit(LogitCompetition.Baseline(), spec, seed: 5);
        var pN = LogitCompetition.Baseline().NashPrices()[0];
        var pM = LogitCompetition.Baseline().MonopolyPrices()[0];
        double Profit(double own, double rival)
        {
            double e(double p) => Math.Exp((2 - p) / 0.25);
            return (own - 1) * e(own) / (e(own) + e(rival) + 1);
        }
        var expected = new[]
        {
            (Profit(pN, pN) + Profit(pN, pM)) / (0.05 * 2),
            (Profit(pM, pN) + Profit(pM, pM)) / (0.05 * 2),
        };
        var learner = game.Learners[0];
        Assert.Equal(4, learner.StateCount);
        for (var s = 0; s < 4; s++)
        for (var a = 0; a < 2; a++)
            Assert.Equal(expected[a], learner.Q(s, a), 1e-12);
        Assert.Equal(expected[1] > expected[0] ? 1 : 0, learner.Greedy(0));

        // Q(s,a) <- (1 - alpha) Q(s,a) + alpha (pi + delta max Q(s', .))
        var before = learner.Greedy(0);
        var changed = learner.Learn(state: 0, action: 1, reward: 0, nextState: 3);
        var updated = 0.85 * expected[1] + 0.15 * (0 + 0.95 * expected.Max());
        Assert.Equal(updated, learner.Q(0, 1), 1e-12);
        Assert.Equal(expected[0], learner.Q(0, 0), 1e-12);
        Assert.Equal(updated > expected[0] ? 1 : 0, learner.Greedy(0));
        Assert.Equal(learner.Greedy(0) != before, changed);
    }

    [Fact]
    public void Two_learners_converge_between_Nash_and_monopoly_and_punish_a_deviation()
    {
        var market = LogitCompetition.Baseline();
        var pN = market.NashPrices()[0];
        var pM = market.MonopolyPrices()[0];
        var game = LearningGame.ForLogit(market, Reduced, seed: 1);
        var outcome = game.Run();
        output.WriteLine($"converged {outcome.Converged} at {outcome.Periods}, prices {string.Join(", ", outcome.AveragePrices)}, " +
                         $"Delta {outcome.ProfitGain:F3} (cycle {outcome.CycleProfitGain:F3}, length {outcome.CycleLength})");

        Assert.True(outcome.Converged);
        Assert.InRange(outcome.Periods, 100_000, 1_000_000);
        foreach (var row in outcome.CyclePrices)
        foreach (var p in row)
            Assert.InRange(p, pN, pM);
        foreach (var p in outcome.AveragePrices) Assert.InRange(p, pN, pM);
        Assert.True(outcome.ProfitGain > 0.3, $"Delta {outcome.ProfitGain:F3}");
        Assert.True(outcome.CycleProfitGain > 0.3, $"cycle Delta {outcome.CycleProfitGain:F3}");

        var response = game.Deviate(0, DeviationKind.StaticBestResponse, after: 10);
        output.WriteLine(string.Join(" | ", response.Prices.Select(r => string.Join(", ", r.Select(p => p.ToString("F3"))))));
        // The deviator undercuts, and gains in the deviation period.
        Assert.True(response.Prices[1][0] < response.Prices[0][0]);
        Assert.True(response.Profits[1][0] > response.Profits[0][0]);
        // The rival punishes the next period ...
        Assert.True(response.Prices[2][1] < response.Prices[1][1]);
        // ... and play returns to the pre-deviation prices.
        Assert.Contains(response.Prices.Skip(2), row => row.SequenceEqual(response.Prices[0]));
        // The one-step-down deviation is punished as well.
        var small = game.Deviate(0, DeviationKind.OneStepDown, after: 10);
        Assert.True(small.Prices[2][1] < small.Prices[1][1]);
    }

    [Fact]
    public void Three_learners_converge_above_Nash()
    {
        var market = LogitCompetition.Symmetric(3, a: 2, c: 1, a0: 0, mu: 0.25);
        var game = LearningGame.ForLogit(market, Reduced, seed: 1);
        Assert.Equal(15 * 15 * 15, game.Learners[0].StateCount);
        var clock = Stopwatch.StartNew();
        var outcome = game.Run();
        output.WriteLine($"n = 3: converged {outcome.Converged} at {outcome.Periods} in {clock.Elapsed.TotalSeconds:F2} s, " +
                         $"Delta {outcome.ProfitGain:F3} (cycle {outcome.CycleProfitGain:F3}), prices {string.Join(", ", outcome.AveragePrices.Select(p => p.ToString("F3")))}");
        Assert.True(outcome.Converged);
        Assert.True(outcome.ProfitGain > 0.1, $"Delta {outcome.ProfitGain:F3}");
    }

    [Fact]
    public void A_learning_monopolist_under_constant_elasticity_demand_ends_within_a_grid_step_of_the_Lerner_price()
    {
        // q = p^-e with e = 2 and unit cost 1: profit (p - 1) p^-2 peaks at c e / (e - 1) = 2.
        const double low = 1, high = 3;
        var grid = Enumerable.Range(0, 15).Select(j => QLearner.GridPrice(low, high, 15, j)).ToArray();
        var game = new LearningGame([grid], (prices, profits) => profits[0] = (prices[0] - 1) * Math.Pow(prices[0], -2),
            nashProfits: null, monopolyProfits: null, new LearningSpec { Beta = 5e-5 }, seed: 3);
        var outcome = game.Run();
        Assert.True(outcome.Converged);
        Assert.Equal(1, outcome.CycleLength);
        Assert.Equal(2, outcome.CyclePrices[0][0], (high - low) / 14 + 1e-9);
        Assert.True(double.IsNaN(outcome.ProfitGain));
    }

    [Fact]
    public void A_run_is_reproducible_from_its_seed_and_from_a_checkpoint()
    {
        var market = LogitCompetition.Baseline();
        var straight = LearningGame.ForLogit(market, Reduced, seed: 9);
        var expected = straight.Run();

        var first = LearningGame.ForLogit(market, Reduced, seed: 9);
        first.RunUntil(150_000);
        Assert.Equal(150_000, first.Period);
        var checkpoint = Codec.ToBytes(first.Write);
        var resumed = LearningGame.ForLogit(market, Reduced, seed: 9);
        Codec.FromBytes(checkpoint, r => { resumed.Read(r); return 0; });
        var actual = resumed.Run();

        Assert.Equal(expected.Periods, actual.Periods);
        Assert.Equal(expected.AveragePrices, actual.AveragePrices);
        Assert.Equal(expected.AverageProfits, actual.AverageProfits);
        Assert.Equal(expected.CyclePrices, actual.CyclePrices);
        Assert.Equal(Codec.ToBytes(straight.Write), Codec.ToBytes(resumed.Write));
        // Writing a checkpoint does not disturb the run that wrote it.
        first.Run();
        Assert.Equal(Codec.ToBytes(straight.Write), Codec.ToBytes(first.Write));

        var other = LearningGame.ForLogit(market, Reduced, seed: 10);
        other.RunUntil(150_000);
        Assert.NotEqual(checkpoint, Codec.ToBytes(other.Write));
    }

    [Fact]
    public void A_period_allocates_nothing_and_a_million_periods_take_well_under_seconds()
    {
        var game = LearningGame.ForLogit(LogitCompetition.Baseline(), new LearningSpec { MaxPeriods = long.MaxValue }, seed: 2);
        game.RunUntil(200_000); // compile the loop
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        game.RunUntil(1_200_000);
        var seconds = clock.Elapsed.TotalSeconds;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"periods 200,000 to 1,200,000 of the baseline: {seconds:F3} s, {1 / seconds:F1} million periods per second, {allocated} bytes allocated");
        // A per-period allocation would be at least 24 MB here; the runtime's own (tiering) can be a few kB.
        Assert.True(allocated < 100_000, $"{allocated} bytes");
        Assert.Equal(1_200_000, game.Period);
        Assert.True(seconds < 10, $"{seconds:F1} s");
    }
}
