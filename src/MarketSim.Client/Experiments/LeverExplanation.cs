using MarketSim.Model.Engine;

namespace MarketSim.Client;

/// <summary>What <c>marketsim explain</c> splits: the log change of a price series from the first to the last tick.
/// <c>price-index</c>: each tier's volume-weighted price index; <c>capability-price</c>: the cheapest price bought at
/// each fixed capability level.</summary>
public static class ExplainMetrics
{
    public const string PriceIndex = "price-index";
    public const string CapabilityPrice = "capability-price";
    public static readonly string[] Names = [PriceIndex, CapabilityPrice];

    /// <summary>The series of a metric in a scenario: tiers, or capability level labels.</summary>
    public static IReadOnlyList<string> SeriesOf(string metric, MarketSetup setup) => metric switch
    {
        PriceIndex => Tiers.Names,
        CapabilityPrice => [.. setup.CapabilityLevels.Select(l => l.Label)],
        _ => throw new ArgumentException($"unknown metric '{metric}' (the metrics: {string.Join(", ", Names)})", nameof(metric)),
    };

    /// <summary>The value of series <paramref name="series"/> at one tick (NaN or 0 when the market has none).</summary>
    public static double ValueAt(string metric, TickObservation o, int series) =>
        metric == PriceIndex ? o.PriceIndex[series] : o.CapabilityBought[series];
}

/// <summary>One series of one run: its mean over the first and over the last window of defined values, the ticks
/// where those windows start and end, and their log change ln(end / start).</summary>
public sealed record SeriesChange(double Start, double End, int StartTick, int EndTick)
{
    public double LogChange => Math.Log(End / Start);

    /// <summary>The mean of the first <paramref name="window"/> positive, finite values (from the first tick with one)
    /// and of the last <paramref name="window"/> (to the last tick with one); null when there is none. A window of 1
    /// compares the first and the last defined values.</summary>
    public static SeriesChange? Of(IReadOnlyList<TickObservation> observations, Func<TickObservation, double> value, int window = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var defined = observations.Select(o => (o.Tick, Value: value(o))).Where(x => double.IsFinite(x.Value) && x.Value > 0).ToList();
        if (defined.Count == 0) return null;
        var n = Math.Min(window, defined.Count);
        var first = defined.Take(n).ToList();
        var last = defined.Skip(defined.Count - n).ToList();
        return new SeriesChange(first.Average(x => x.Value), last.Average(x => x.Value), first[0].Tick, last[^1].Tick);
    }
}

/// <summary>Exact Shapley values of a game of k players given on all 2^k coalitions.</summary>
public static class Shapley
{
    /// <summary>phi_i = sum over coalitions S without i of |S|! (k - |S| - 1)! / k! * (v(S + i) - v(S)), where bit i of
    /// a coalition's mask says player i is in it. The values sum to v(all) - v(none) (efficiency).</summary>
    public static double[] Values(int players, Func<int, double> value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(players);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(players, 16);
        var factorial = new double[players + 1];
        factorial[0] = 1;
        for (var n = 1; n <= players; n++) factorial[n] = factorial[n - 1] * n;
        var phi = new double[players];
        for (var i = 0; i < players; i++)
            for (var mask = 0; mask < 1 << players; mask++)
            {
                if ((mask & (1 << i)) != 0) continue;
                var size = System.Numerics.BitOperations.PopCount((uint)mask);
                var weight = factorial[size] * factorial[players - size - 1] / factorial[players];
                phi[i] += weight * (value(mask | (1 << i)) - value(mask));
            }
        return phi;
    }
}

/// <summary>A component of an explanation: a lever's Shapley share, the residual (every lever off) or the total.</summary>
public sealed record ExplainRow(string Series, string Component, Estimate? LogChange, Estimate? Share, double SumCheck);

/// <summary>One run of an explanation: the combination (levers on), its seed and each series' change.</summary>
public sealed record ExplainRun(string Combination, int Replication, ulong Seed, IReadOnlyList<SeriesChange?> Changes);

/// <summary>The result of <see cref="LeverExplanation.RunAsync"/>: the table and the runs behind it.</summary>
public sealed record Explanation(IReadOnlyList<string> Levers, IReadOnlyList<string> Series, IReadOnlyList<ExplainRow> Rows, IReadOnlyList<ExplainRun> Runs)
{
    public const string Residual = "residual";
    public const string Total = "total";
}

/// <summary>
/// Splits the change of a price series between levers (docs/MODEL.md section 16): runs the 2^k combinations of the
/// levers (each on, as the scenario has it, or off) × replications with common random numbers through
/// <see cref="ExperimentRunner"/>; per replication and series, the change with every lever on (the total) is the
/// change with every lever off (the residual) plus each lever's exact Shapley value of the game v(S) = change with
/// the levers in S on; interactions are shared out by the Shapley rule. Estimates are over replications.
/// </summary>
public static class LeverExplanation
{
    /// <summary>The name of a combination: the levers switched off, or "all-on".</summary>
    public static string CombinationName(IReadOnlyList<string> levers, int onMask)
    {
        var off = levers.Where((_, i) => (onMask & (1 << i)) == 0).ToList();
        return off.Count == 0 ? "all-on" : "off-" + string.Join("+", off);
    }

    /// <summary>The 2^k variants: bit i of the index set means lever i acts as the scenario has it; clear, it is
    /// switched off. Levers not listed keep the scenario's values.</summary>
    public static IReadOnlyList<ScenarioVariant> Variants(IReadOnlyList<string> levers) =>
        [.. Enumerable.Range(0, 1 << levers.Count).Select(mask => ScenarioVariant.Changing(CombinationName(levers, mask), scenario =>
        {
            for (var i = 0; i < levers.Count; i++)
                if ((mask & (1 << i)) == 0) (scenario.Levers ??= new LeverSettings()).Set(levers[i], off: true);
        }))];

    /// <summary>Checks a list of lever names; returns the problem, or null.</summary>
    public static string? Check(IReadOnlyList<string> levers)
    {
        if (levers.Count == 0) return "no lever given";
        foreach (var l in levers)
            if (!LeverSettings.Names.Contains(l, StringComparer.Ordinal)) return $"unknown lever '{l}'";
        var dup = levers.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return dup is null ? null : $"lever '{dup.Key}' is listed twice";
    }

    /// <param name="window">Ticks averaged at each end of a series (1: the first and the last tick).</param>
    public static async Task<Explanation> RunAsync(ExperimentRunner runner, Scenario scenario, IReadOnlyList<string> levers, string metric, int window,
        Action<RunResult<IReadOnlyList<SeriesChange?>>>? onRun = null, CancellationToken cancellationToken = default)
    {
        if (Check(levers) is { } problem) throw new ArgumentException(problem, nameof(levers));
        var series = ExplainMetrics.SeriesOf(metric, new MarketSetup(scenario));
        var variants = Variants(levers);
        var results = await runner.RunAsync(scenario, variants,
            observations => (IReadOnlyList<SeriesChange?>)[.. series.Select((_, s) => SeriesChange.Of(observations, o => ExplainMetrics.ValueAt(metric, o, s), window))],
            onRun, cancellationToken);
        var runs = results.Runs.Select(r => new ExplainRun(r.Variant, r.Replication, r.Seed, r.Value)).ToList();
        var full = (1 << levers.Count) - 1;
        var rows = new List<ExplainRow>();
        for (var s = 0; s < series.Count; s++)
        {
            var perLever = levers.Select(_ => new List<double>()).ToList();
            var shares = levers.Select(_ => new List<double>()).ToList();
            List<double> residual = [], residualShare = [], total = [];
            double sumCheck = 0;
            for (var r = 0; r < runner.Replications; r++)
            {
                var changes = new double[1 << levers.Count];
                var complete = true;
                for (var mask = 0; mask <= full; mask++)
                {
                    var c = results.Of(variants[mask].Name)[r].Value[s];
                    if (c is null) { complete = false; break; }
                    changes[mask] = c.LogChange;
                }
                if (!complete) continue;
                var phi = Shapley.Values(levers.Count, mask => changes[mask]);
                for (var i = 0; i < levers.Count; i++)
                {
                    perLever[i].Add(phi[i]);
                    shares[i].Add(phi[i] / changes[full]);
                }
                residual.Add(changes[0]);
                residualShare.Add(changes[0] / changes[full]);
                total.Add(changes[full]);
                sumCheck = Math.Max(sumCheck, Math.Abs(phi.Sum() + changes[0] - changes[full]));
            }
            for (var i = 0; i < levers.Count; i++)
                rows.Add(new ExplainRow(series[s], levers[i], Estimate.Of(perLever[i]), Estimate.Of(shares[i]), sumCheck));
            rows.Add(new ExplainRow(series[s], Explanation.Residual, Estimate.Of(residual), Estimate.Of(residualShare), sumCheck));
            rows.Add(new ExplainRow(series[s], Explanation.Total, Estimate.Of(total), Estimate.Of([.. total.Select(_ => 1.0)]), sumCheck));
        }
        return new Explanation(levers, series, rows, runs);
    }
}
