using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace MarketSim.Client.Calibration;

/// <summary>One evaluation of the objective: the parameters' values, the simulated value of every target row in
/// every replication (seed), each row's fit and the objective.</summary>
public sealed record Evaluation(int Index, string Purpose, IReadOnlyList<double> Values, IReadOnlyList<IReadOnlyList<double>> Simulated,
    IReadOnlyList<RowFit> Fit, bool FromJournal)
{
    public double Objective { get; } = Calibrator.Objective(Fit);
}

/// <summary>How one target row is matched: the observation, the simulated mean over seeds (both relative to the
/// series' first row for a relative series) and the residual.</summary>
public sealed record RowFit(TargetRow Row, double Observed, double Simulated, double Residual);

/// <summary>The estimate of one parameter: the value found, its standard error and 95 % interval (null when the
/// targets do not pin it down: the objective does not change with it near the estimate).</summary>
public sealed record ParameterEstimate(FitParameter Parameter, double Value, double? StandardError, double? Ci95Low, double? Ci95High)
{
    public bool Identified => StandardError is not null;
}

/// <summary>The result of a calibration.</summary>
public sealed record CalibrationResult(IReadOnlyList<ParameterEstimate> Estimates, IReadOnlyList<RowFit> Fit, double Objective, double StartObjective,
    int Evaluations, int FromJournal, string StopReason, double ResidualSd);

/// <summary>
/// Fits scenario parameters to observed series by simulated method of moments with common random numbers
/// (docs/EXPERIMENTS.md, "calibrate"):
/// <list type="number">
/// <item>a moment is a target row: the series averaged over <see cref="Window"/> ticks centred on the row's date, in
/// each of <c>runner.Replications</c> runs, then averaged over them. Every evaluation runs the same seeds, so the
/// objective is a deterministic function of the parameters and differences between two points are the parameters',
/// not luck's;</item>
/// <item>a residual is ln(simulated / observed) for prices and volumes, simulated − observed for shares; where the run
/// has no value (no sale, no model at the level yet) it is <see cref="MissingResidual"/>;</item>
/// <item>the objective is the weighted mean of squared residuals, minimised by the Nelder-Mead simplex of Math.NET
/// Numerics over the parameters mapped to an unbounded scale (the logit of their place between their bounds);</item>
/// <item>the intervals: G, the residuals' derivatives at the estimate with respect to the search coordinates, by
/// central differences (again with the same seeds), and the nonlinear-least-squares covariance σ² (GᵀWG)⁻¹ with
/// σ² = Σ w r² / (n − k): every misfit of the model (data noise, simulation noise, missing mechanisms) counts as
/// noise, so the intervals are wide when the fit is poor; 95 % from the t distribution with n − k degrees of freedom,
/// symmetric on the search scale and mapped back, so that they stay within the bounds; the standard error is the
/// same mapped by the delta method.</item>
/// </list>
/// Evaluations are looked up in, and added to, an optional journal first: the search is deterministic, so a
/// calibration run again with the same inputs replays the journal and resumes where it stopped.
/// </summary>
public sealed class Calibrator(ExperimentRunner runner, Scenario scenario, IReadOnlyList<FitParameter> parameters, IReadOnlyList<TargetRow> targets)
{
    /// <summary>The residual of a row whose series the run does not define at its date.</summary>
    public const double MissingResidual = 3.0;

    /// <summary>What the runs' token volumes are multiplied by before they meet <c>tokens_served</c> observations:
    /// the scenario's customers over the runs' when the runs are scaled down.</summary>
    public double VolumeScale { get; init; } = 1;

    /// <summary>Ticks averaged around each target date (centred; clipped at the run's ends).</summary>
    public int Window { get; init; } = 7;

    /// <summary>Evaluations of the objective for the search, at most (the intervals take 2k more).</summary>
    public int MaxEvaluations { get; init; } = 120;

    /// <summary>The search stops when the objective differs by less than this (relative) across the simplex.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Evaluations already made (by values), from an earlier calibration with the same inputs.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<double>>> Journal { get; init; } =
        new Dictionary<string, IReadOnlyList<IReadOnlyList<double>>>();

    /// <summary>The journal's key of a point.</summary>
    public static string Key(IReadOnlyList<double> values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private readonly MarketSetup _setup = new(scenario);
    private int _evaluations;
    private int _fromJournal;
    private Evaluation? _best;
    private readonly Dictionary<string, Evaluation> _seen = [];

    /// <summary>Runs the search and the intervals; <paramref name="onEvaluation"/> is told of every evaluation (new or
    /// from the journal) as it completes.</summary>
    public async Task<CalibrationResult> RunAsync(Action<Evaluation>? onEvaluation = null, CancellationToken cancellationToken = default)
    {
        if (parameters.Count is 0 or > FitParameter.MaxParameters)
            throw new ArgumentException($"fit 1 to {FitParameter.MaxParameters} parameters, not {parameters.Count}", nameof(parameters));
        if (TooFewObservations(parameters.Count, targets) is { } problem) throw new ArgumentException(problem, nameof(targets));
        var start = await EvaluateAsync([.. parameters.Select(p => p.Start)], "start", onEvaluation, cancellationToken);
        var stop = "converged";
        var objective = ObjectiveFunction.Value(z =>
        {
            if (_evaluations >= MaxEvaluations) throw new BudgetSpent();
            var values = parameters.Select((p, i) => p.FromSearch(z[i])).ToArray();
            return EvaluateAsync(values, "search", onEvaluation, cancellationToken).GetAwaiter().GetResult().Objective;
        });
        try
        {
            var guess = Vector<double>.Build.DenseOfEnumerable(parameters.Select(p => p.ToSearch(p.Start)));
            var step = Vector<double>.Build.Dense(parameters.Count, 1.0);
            await Task.Run(() => NelderMeadSimplex.Minimum(objective, guess, step, Tolerance, int.MaxValue), cancellationToken);
        }
        catch (BudgetSpent)
        {
            stop = $"stopped after {MaxEvaluations} evaluations (raise --max-evaluations to search longer)";
        }
        catch (MaximumIterationsException)
        {
            stop = $"stopped after {MaxEvaluations} evaluations (raise --max-evaluations to search longer)";
        }
        var best = _best!;
        var estimates = await IntervalsAsync(best, onEvaluation, cancellationToken);
        return new CalibrationResult(estimates, best.Fit, best.Objective, start.Objective, _evaluations, _fromJournal, stop, ResidualSd(best.Fit));
    }

    private sealed class BudgetSpent : Exception;

    /// <summary>"N weighted observations cannot pin down K parameters" when the targets have no more rows of positive
    /// weight than there are parameters (no degrees of freedom left for the intervals); else null.</summary>
    public static string? TooFewObservations(int parameters, IReadOnlyList<TargetRow> targets) =>
        targets.Count(t => t.Weight > 0) is var n && n <= parameters ? $"{n} weighted observations cannot pin down {parameters} parameters" : null;

    /// <summary>Runs (or looks up) the point <paramref name="values"/> and keeps the best.</summary>
    private async Task<Evaluation> EvaluateAsync(double[] values, string purpose, Action<Evaluation>? onEvaluation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = Key(values);
        if (_seen.TryGetValue(key, out var again)) return again;   // the simplex evaluates its first vertex, the start, again
        IReadOnlyList<IReadOnlyList<double>> simulated;
        var cached = Journal.TryGetValue(key, out var known);
        if (cached) simulated = known!;
        else
        {
            var overrides = parameters.Select((p, i) => p.Override(values[i])).ToArray();
            var variant = ScenarioVariant.WithOverrides("calibration", overrides);
            var results = await runner.RunAsync(scenario, [variant], Moments, cancellationToken: cancellationToken);
            simulated = [.. results.Runs.Select(r => r.Value)];
        }
        var index = Interlocked.Increment(ref _evaluations);
        if (cached) Interlocked.Increment(ref _fromJournal);
        var evaluation = new Evaluation(index, purpose, values, simulated, Fits(simulated), cached);
        _seen[key] = evaluation;
        if (_best is null || evaluation.Objective < _best.Objective) _best = evaluation;
        onEvaluation?.Invoke(evaluation);
        return evaluation;
    }

    /// <summary>The simulated value of every target row in one run.</summary>
    private IReadOnlyList<double> Moments(IReadOnlyList<TickObservation> observations) =>
        [.. targets.Select(t =>
        {
            var tick = _setup.TickOf(t.Date);
            var value = t.Series.MeanOver(observations, tick - Window / 2, tick + (Window - 1) / 2);
            return t.Series.Kind == TargetSeries.TokensServed ? value * VolumeScale : value;
        })];

    /// <summary>Each row's observed and simulated values (mean over seeds; relative series divided by their first
    /// row) and its residual.</summary>
    public IReadOnlyList<RowFit> Fits(IReadOnlyList<IReadOnlyList<double>> simulated)
    {
        var mean = Enumerable.Range(0, targets.Count).Select(i =>
        {
            var values = simulated.Select(s => s[i]).Where(double.IsFinite).ToList();
            return values.Count == simulated.Count ? values.Average() : double.NaN;
        }).ToArray();
        var baseRow = new Dictionary<string, int>();
        for (var i = 0; i < targets.Count; i++)
            if (targets[i].Series.IsRelative && (!baseRow.TryGetValue(targets[i].Series.Name, out var b) || targets[i].Date < targets[b].Date))
                baseRow[targets[i].Series.Name] = i;
        return [.. targets.Select((t, i) =>
        {
            var (observed, sim) = t.Series.IsRelative
                ? (t.Value / targets[baseRow[t.Series.Name]].Value, mean[i] / mean[baseRow[t.Series.Name]])
                : (t.Value, mean[i]);
            var residual = !double.IsFinite(sim) || (t.Series.Scale == SeriesScale.Log && sim <= 0) ? MissingResidual
                : t.Series.Scale == SeriesScale.Log ? Math.Log(sim / observed) : sim - observed;
            return new RowFit(t, observed, sim, residual);
        })];
    }

    /// <summary>Σ w r² / Σ w.</summary>
    public static double Objective(IReadOnlyList<RowFit> fit) =>
        fit.Sum(f => f.Row.Weight * f.Residual * f.Residual) / fit.Sum(f => f.Row.Weight);

    private double ResidualSd(IReadOnlyList<RowFit> fit)
    {
        var dof = fit.Count(f => f.Row.Weight > 0) - parameters.Count;
        return dof <= 0 ? double.NaN : Math.Sqrt(fit.Sum(f => f.Row.Weight * f.Residual * f.Residual) / dof);
    }

    private async Task<IReadOnlyList<ParameterEstimate>> IntervalsAsync(Evaluation best, Action<Evaluation>? onEvaluation, CancellationToken cancellationToken)
    {
        // Derivatives with respect to the search coordinates z (the logit of each parameter's place between its
        // bounds): the interval is symmetric in z and so stays inside the bounds once mapped back.
        var k = parameters.Count;
        var rows = targets.Count;
        var g = Matrix<double>.Build.Dense(rows, k);
        var z = parameters.Select((p, j) => p.ToSearch(best.Values[j])).ToArray();
        for (var j = 0; j < k; j++)
        {
            var p = parameters[j];
            const double h = 0.1;
            var plus = best.Values.ToArray();
            plus[j] = p.FromSearch(z[j] + h);
            var minus = best.Values.ToArray();
            minus[j] = p.FromSearch(z[j] - h);
            var fPlus = (await EvaluateAsync(plus, $"slope {j + 1}", onEvaluation, cancellationToken)).Fit;
            var fMinus = (await EvaluateAsync(minus, $"slope {j + 1}", onEvaluation, cancellationToken)).Fit;
            for (var i = 0; i < rows; i++) g[i, j] = (fPlus[i].Residual - fMinus[i].Residual) / (2 * h);
        }
        var fit = best.Fit;
        var w = Matrix<double>.Build.DiagonalOfDiagonalArray([.. targets.Select(t => t.Weight)]);
        var information = g.TransposeThisAndMultiply(w * g);
        var sd = ResidualSd(fit);
        var t = double.IsNaN(sd) ? double.NaN : Estimate.TQuantile(fit.Count(f => f.Row.Weight > 0) - k);
        // A parameter the residuals do not move with (a zero column of G) is not identified; the others are estimated
        // from the information matrix of the identified ones alone.
        var identified = Enumerable.Range(0, k).Where(j => g.Column(j).L2Norm() > 1e-9).ToList();
        var se = new double?[k];
        if (identified.Count > 0 && !double.IsNaN(sd))
        {
            var sub = Matrix<double>.Build.Dense(identified.Count, identified.Count, (a, b) => information[identified[a], identified[b]]);
            if (Math.Abs(sub.Determinant()) > 1e-300 && sub.ConditionNumber() < 1e12)
            {
                var covariance = sub.Inverse() * (sd * sd);
                for (var a = 0; a < identified.Count; a++)
                    if (covariance[a, a] >= 0) se[identified[a]] = Math.Sqrt(covariance[a, a]);
            }
        }
        // se in z, mapped to the parameter's scale by the delta method (dθ/dz = (θ - low)(high - θ)/(high - low)).
        return [.. parameters.Select((p, j) => se[j] is { } s
            ? new ParameterEstimate(p, best.Values[j], s * (best.Values[j] - p.Low) * (p.High - best.Values[j]) / (p.High - p.Low),
                p.FromSearch(z[j] - t * s), p.FromSearch(z[j] + t * s))
            : new ParameterEstimate(p, best.Values[j], null, null, null))];
    }
}
