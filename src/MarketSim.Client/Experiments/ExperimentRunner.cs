using System.Collections.Concurrent;

namespace MarketSim.Client;

/// <summary>One run of an experiment: its variant, replication and seed, what the caller kept of its observations,
/// and the fingerprint of its final state.</summary>
public sealed record RunResult<T>(string Variant, int Replication, ulong Seed, T Value, string Fingerprint);

/// <summary>
/// Runs variants of a scenario several times each with common random numbers, on any engine, through
/// <see cref="IRunHandle"/> alone: every variant × replication is started, run to its horizon and fingerprinted;
/// replication r runs with <see cref="Seeds.ForReplication"/>(<see cref="RootSeed"/>, r) in every variant, so a
/// difference between variants is the variants', not luck's. The results are in plan order (variant by variant,
/// replication by replication) whatever the <see cref="Parallelism"/>, and identical for any parallelism and on either
/// engine. A run that fails ends the experiment with its exception.
/// </summary>
/// <param name="engines">Makes the engine of one run: <c>() =&gt; new ReferenceSimulation()</c>, or an Orleans engine
/// per run (<c>() =&gt; cluster.Engine()</c>: each has its own run id).</param>
public sealed class ExperimentRunner(Func<ISimulationEngine> engines)
{
    /// <summary>Runs per variant (at least 1).</summary>
    public int Replications { get; init; } = 1;

    /// <summary>The root of the replications' seeds.</summary>
    public ulong RootSeed { get; init; } = 1;

    /// <summary>Runs at once (at least 1).</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>The plan: every variant × replication with its seed.</summary>
    public IReadOnlyList<PlannedReplication<ScenarioVariant>> Plan(IReadOnlyList<ScenarioVariant> variants) =>
        ReplicationPlan.Of(variants, Replications, RootSeed);

    /// <summary>Runs every variant × replication of <paramref name="baseScenario"/> and keeps, of each run,
    /// <paramref name="project"/> of its observations; <paramref name="onRun"/> is called after each run (from the
    /// thread that ran it).</summary>
    public async Task<ExperimentResults<T>> RunAsync<T>(Scenario baseScenario, IReadOnlyList<ScenarioVariant> variants,
        Func<IReadOnlyList<TickObservation>, T> project, Action<RunResult<T>>? onRun = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Replications, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1);
        foreach (var dup in variants.GroupBy(v => v.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            throw new ArgumentException($"variant name '{dup.Key}' is used {dup.Count()} times", nameof(variants));
        var plan = Plan(variants);
        // Every scenario is made before any run starts: a bad variant fails at once, not after others ran.
        var scenarios = plan.Select(p => p.Variant.Make(baseScenario, p.Seed)).ToArray();
        var results = new RunResult<T>[plan.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (observations, fingerprint) = await RunOneAsync(scenarios[i], ct);
                var result = new RunResult<T>(plan[i].Variant.Name, plan[i].Replication, plan[i].Seed, project(observations), fingerprint);
                results[i] = result;
                onRun?.Invoke(result);
            });
        return new ExperimentResults<T>([.. variants.Select(v => v.Name)], results);
    }

    /// <summary>Runs as <see cref="RunAsync{T}"/> and keeps every observation of every run.</summary>
    public Task<ExperimentResults<IReadOnlyList<TickObservation>>> RunAsync(Scenario baseScenario, IReadOnlyList<ScenarioVariant> variants,
        Action<RunResult<IReadOnlyList<TickObservation>>>? onRun = null, CancellationToken cancellationToken = default) =>
        RunAsync(baseScenario, variants, o => o, onRun, cancellationToken);

    private async Task<(IReadOnlyList<TickObservation> Observations, string Fingerprint)> RunOneAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        if (RunInputCheck.Scenario(ScenarioJson.Serialize(scenario)) is { Count: > 0 } problems)
            throw new ArgumentException($"scenario '{scenario.Name}' (seed {scenario.Seed}) is invalid:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        var engine = engines();
        var run = await engine.StartAsync(new MarketSetup(scenario), null, cancellationToken);
        var observations = new List<TickObservation>(scenario.Ticks);
        var outcome = await RunHandles.RunToEndAsync(run, engine.TicksPerAdvance, o => { observations.Add(o); return ValueTask.CompletedTask; }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return (observations, outcome.Fingerprint);
    }
}

/// <summary>The runs of an experiment, in plan order, with estimates per variant and paired differences between
/// variants over the same seeds.</summary>
public sealed class ExperimentResults<T>(IReadOnlyList<string> variants, IReadOnlyList<RunResult<T>> runs)
{
    /// <summary>The variants' names, in the order given.</summary>
    public IReadOnlyList<string> Variants { get; } = variants;

    /// <summary>Every run, variant by variant, replication by replication.</summary>
    public IReadOnlyList<RunResult<T>> Runs { get; } = runs;

    /// <summary>The runs of one variant, by replication.</summary>
    public IReadOnlyList<RunResult<T>> Of(string variant) =>
        Variants.Contains(variant, StringComparer.Ordinal)
            ? [.. Runs.Where(r => r.Variant == variant).OrderBy(r => r.Replication)]
            : throw new ArgumentException($"no variant '{variant}' (the variants: {string.Join(", ", Variants)})", nameof(variant));

    /// <summary>Mean and 95 % interval of <paramref name="metric"/> over the variant's replications.</summary>
    public Estimate Estimate(string variant, Func<T, double> metric) => Client.Estimate.Of([.. Of(variant).Select(r => metric(r.Value))])!;

    /// <summary>Mean and 95 % interval of <paramref name="metric"/>(<paramref name="variant"/>) −
    /// <paramref name="baseline"/>'s, taken replication by replication over the seeds both ran (common random
    /// numbers: the luck of a seed cancels out, so this interval is narrower than the two variants' intervals
    /// suggest). Null when they share no seed.</summary>
    public Estimate? PairedDifference(string variant, string baseline, Func<T, double> metric) =>
        Client.Estimate.Of([.. Pairs(variant, baseline).Select(p => metric(p.Variant.Value) - metric(p.Baseline.Value))]);

    /// <summary>One line of a table: the label, then every variant's estimate of <paramref name="metric"/> as
    /// "name: mean [low, high]" in <paramref name="format"/>.</summary>
    public string Row(string label, Func<T, double> metric, string format, int labelWidth = 30) =>
        $"  {label.PadRight(labelWidth)}" + string.Concat(Variants.Select(v => $"  {v}: {Estimate(v, metric).ToString(format)}"));

    /// <summary>The runs of two variants with the same seed, by replication.</summary>
    public IReadOnlyList<(RunResult<T> Variant, RunResult<T> Baseline)> Pairs(string variant, string baseline) =>
        [.. Of(variant).Join(Of(baseline), r => (r.Replication, r.Seed), r => (r.Replication, r.Seed), (a, b) => (a, b))];
}
