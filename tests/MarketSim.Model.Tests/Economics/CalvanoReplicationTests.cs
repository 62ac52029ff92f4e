using System.Diagnostics;
using System.Globalization;
using System.Text;
using MarketSim.Model.Economics;
using Xunit.Abstractions;

namespace MarketSim.Model.Tests.Economics;

/// <summary>
/// The baseline of Calvano, Calzolari, Denicolò and Pastorello (AER 2020) at full length (beta = 4e-6), seeds
/// 1..N, each to convergence: the figures of docs/notes/calvano-replication.md. N is 8 (about a second) unless
/// <c>MARKETSIM_REPLICATION_RUNS</c> names more (1000 for the documented figures). Writes a markdown summary to the
/// test output and, when <c>MARKETSIM_REPLICATION_OUT</c> names a file, to that file.
/// </summary>
public sealed class CalvanoReplicationTests(ITestOutputHelper output)
{
    private const int After = 20;

    public const string RunsVariable = "MARKETSIM_REPLICATION_RUNS";

    [Fact]
    public void The_baseline_replicates_the_papers_profit_gain()
    {
        var runs = int.TryParse(Environment.GetEnvironmentVariable(RunsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 8;
        var market = LogitCompetition.Baseline();
        var spec = new LearningSpec();
        var pN = market.NashPrices()[0];
        var pM = market.MonopolyPrices()[0];

        var gains = new double[runs];
        var windowGains = new double[runs];
        var periods = new double[runs];
        var seconds = new double[runs];
        var meanPrices = new double[runs];
        var cycleLengths = new int[runs];
        var converged = 0;
        var punished = 0;
        var unprofitable = 0;
        var pathSum = new double[After + 2, 2];
        var total = Stopwatch.StartNew();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        for (var k = 0; k < runs; k++)
        {
            var clock = Stopwatch.StartNew();
            var game = LearningGame.ForLogit(market, spec, seed: (ulong)(k + 1));
            var outcome = game.Run();
            seconds[k] = clock.Elapsed.TotalSeconds;
            if (outcome.Converged) converged++;
            periods[k] = outcome.Periods;
            gains[k] = outcome.CycleProfitGain;
            windowGains[k] = outcome.ProfitGain;
            cycleLengths[k] = outcome.CycleLength;
            meanPrices[k] = outcome.CyclePrices.SelectMany(r => r).Average();

            var response = game.Deviate(0, DeviationKind.StaticBestResponse, After);
            if (response.Prices[2][1] < response.Prices[1][1]) punished++;
            for (var t = 0; t < After + 2; t++)
            for (var i = 0; i < 2; i++)
                pathSum[t, i] += response.Prices[t][i];
            // Discounted profit of the deviator over the deviation and the next periods against staying on the cycle.
            double deviating = 0, staying = 0;
            for (var t = 1; t < After + 2; t++)
            {
                var discount = Math.Pow(spec.Discount, t - 1);
                deviating += discount * response.Profits[t][0];
                staying += discount * market.ProfitsAt(outcome.CyclePrices[(t - 1) % outcome.CycleLength])[0];
            }
            if (deviating < staying) unprofitable++;
        }
        var elapsed = total.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        var report = new StringBuilder();
        void Line(string text) => report.AppendLine(text);
        Line($"runs | {runs} (seeds 1..{runs}), {elapsed:F1} s in all");
        Line($"converged | {converged} of {runs} ({100.0 * converged / runs:F1} %)");
        Line($"periods to convergence | mean {periods.Average():N0}, median {Quantile(periods, 0.5):N0}, min {periods.Min():N0}, max {periods.Max():N0}");
        Line($"seconds per run | mean {seconds.Average():F3}, max {seconds.Max():F3}; {periods.Sum() / seconds.Sum() / 1e6:F1} million periods per second");
        Line($"processor seconds per run | mean {cpu / runs:F3}; {periods.Sum() / cpu / 1e6:F1} million periods per processor second (the process's processor time, not the wall clock's)");
        Line($"profit gain Delta (limit cycle) | mean {gains.Average():F3}, 95 % interval of the mean {Interval(gains)}, " +
             $"5th-95th percentile {Quantile(gains, 0.05):F3} .. {Quantile(gains, 0.95):F3}, min {gains.Min():F3}, max {gains.Max():F3}");
        Line($"profit gain Delta (last {spec.AverageWindow:N0} periods) | mean {windowGains.Average():F3}, 95 % interval of the mean {Interval(windowGains)}");
        Line($"mean price on the limit cycle | mean {meanPrices.Average():F3}, range {meanPrices.Min():F3} .. {meanPrices.Max():F3} (p_N {pN:F4}, p_M {pM:F4})");
        Line($"limit cycle length | 1: {cycleLengths.Count(l => l == 1)}, 2: {cycleLengths.Count(l => l == 2)}, more: {cycleLengths.Count(l => l > 2)}");
        Line($"rival lowers its price the period after a best-response deviation | {punished} of {runs}");
        Line($"deviation unprofitable over {After + 1} discounted periods | {unprofitable} of {runs}");
        Line("mean prices after the deviation (period: firm 1, firm 2) | " + string.Join("; ",
            Enumerable.Range(0, After + 2).Select(t => $"{t}: {pathSum[t, 0] / runs:F3}, {pathSum[t, 1] / runs:F3}")));
        output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("MARKETSIM_REPLICATION_OUT") is { } file)
            File.WriteAllText(file, report.ToString());

        Assert.True(converged > runs * 0.9);
        Assert.InRange(gains.Average(), 0.7, 0.95);
    }

    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }

    private static string Interval(double[] values)
    {
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1));
        var half = 1.96 * sd / Math.Sqrt(values.Length);
        return $"{mean - half:F3} .. {mean + half:F3} (s.d. {sd:F3})";
    }
}
