using System.Collections.Concurrent;
using MarketSim.Client;

namespace MarketSim.Grains.Tests;

/// <summary>The client library's experiments: replication seeds, common random numbers across variants, the same
/// results on both engines and at any parallelism, and paired differences over matched seeds.</summary>
public sealed class ExperimentRunnerTests(OneSiloCluster cluster) : IClassFixture<OneSiloCluster>
{
    private const int Ticks = 12;

    /// <summary>small.yaml on a short horizon, and a variant whose host cuts harder.</summary>
    private static readonly ScenarioVariant[] Variants =
    [
        ScenarioVariant.Base("base"),
        ScenarioVariant.WithOverrides("cost-plus host", "providers.host.strategy=cost-plus"),
    ];

    private static double HostProfit(IReadOnlyList<TickObservation> o) => o.Sum(x => x.Providers[1].Total.ProfitMicros) / 1e6;

    [Fact]
    public void Replication_seeds_stay_the_seeds_of_existing_sweeps()
    {
        // SplitMix64 of the root seed (Vigna's splitmix64.c): sweep folders made before keep their seeds.
        Assert.Equal(0xE220A8397B1DCDAFUL, Seeds.ForReplication(0, 0));
        Assert.Equal(0x6E789E6AA1B965F4UL, Seeds.ForReplication(0, 1));
        Assert.Equal(0x910A2DEC89025CC1UL, Seeds.ForReplication(1, 0));
        Assert.Equal(0xF893A2EEFB32555EUL, Seeds.ForReplication(1, 2));
        Assert.Equal(0x9F6D8FECF88EECD5UL, Seeds.ForReplication(2024, 0));   // config/experiments/price-war.yaml
        Assert.Equal(0xD4A0C1656476437AUL, Seeds.ForReplication(2024, 4));
    }

    [Fact]
    public void The_plan_gives_every_variant_the_same_seed_for_the_same_replication()
    {
        var plan = ReplicationPlan.Of(["a", "b", "c"], 4, 2024);
        Assert.Equal(12, plan.Count);
        Assert.Equal(["a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c"], plan.Select(p => p.Variant));
        foreach (var group in plan.GroupBy(p => p.Variant))
            Assert.Equal(Enumerable.Range(0, 4).Select(r => Seeds.ForReplication(2024, r)), group.Select(p => p.Seed));
        Assert.Equal(4, plan.Select(p => p.Seed).Distinct().Count());
    }

    [Fact]
    public async Task Every_variant_runs_each_replication_with_that_replications_seed()
    {
        var seen = new ConcurrentBag<(string Variant, ulong Seed)>();
        ScenarioVariant Recording(string name) => new(name, (s, seed) => { seen.Add((name, s.Seed)); return s; });
        var runner = new ExperimentRunner(() => new ReferenceSimulation()) { Replications = 3, RootSeed = 5, Parallelism = 2 };
        var results = await runner.RunAsync(ShippedScenarios.Load("small", Ticks), [Recording("a"), Recording("b")], o => o.Count);

        var expected = Enumerable.Range(0, 3).Select(r => Seeds.ForReplication(5, r)).ToList();
        Assert.Equal(expected.Order(), seen.Where(x => x.Variant == "a").Select(x => x.Seed).Order());   // the scenarios ran with them
        Assert.Equal(expected.Order(), seen.Where(x => x.Variant == "b").Select(x => x.Seed).Order());
        Assert.Equal(expected, results.Of("a").Select(r => r.Seed));
        Assert.Equal(expected, results.Of("b").Select(r => r.Seed));
        Assert.All(results.Runs, r => Assert.Equal(Ticks, r.Value));
        // Two identical variants with common random numbers are the same runs; the replications differ.
        Assert.Equal(results.Of("a").Select(r => r.Fingerprint), results.Of("b").Select(r => r.Fingerprint));
        Assert.Equal(3, results.Of("a").Select(r => r.Fingerprint).Distinct().Count());
        Assert.Equal(0, results.PairedDifference("a", "b", _ => 1.0)!.Mean);
    }

    [Fact]
    public async Task A_variant_that_changes_the_seed_is_refused_before_anything_runs()
    {
        var starts = 0;
        var runner = new ExperimentRunner(() => { Interlocked.Increment(ref starts); return new ReferenceSimulation(); }) { Replications = 2 };
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(ShippedScenarios.Load("small", Ticks),
            [ScenarioVariant.Base("ok"), ScenarioVariant.Changing("lucky", s => s.Seed = 42)], o => o.Count));
        Assert.Contains("'lucky' changed the seed", e.Message);
        Assert.Equal(0, starts);
    }

    [Fact]
    public async Task The_reference_and_the_Orleans_engine_give_the_same_results_per_variant_and_replication()
    {
        var baseScenario = ShippedScenarios.Load("small", Ticks);
        var reference = await new ExperimentRunner(() => new ReferenceSimulation()) { Replications = 2, RootSeed = 11 }
            .RunAsync(baseScenario, Variants, HostProfit);
        var orleans = await new ExperimentRunner(() => cluster.Engine()) { Replications = 2, RootSeed = 11, Parallelism = 2 }
            .RunAsync(baseScenario, Variants, HostProfit);

        Assert.Equal(4, orleans.Runs.Count);
        Assert.Equal(reference.Runs.Select(r => (r.Variant, r.Replication, r.Seed, r.Fingerprint, r.Value)),
            orleans.Runs.Select(r => (r.Variant, r.Replication, r.Seed, r.Fingerprint, r.Value)));
        // The variant changes the market: its runs are not the base's.
        Assert.NotEqual(reference.Of("base")[0].Fingerprint, reference.Of("cost-plus host")[0].Fingerprint);
    }

    [Fact]
    public async Task Parallel_and_sequential_execution_give_identical_results()
    {
        var baseScenario = ShippedScenarios.Load("small", Ticks);
        var sequential = await new ExperimentRunner(() => new ReferenceSimulation()) { Replications = 3, Parallelism = 1 }
            .RunAsync(baseScenario, Variants, HostProfit);
        var parallel = await new ExperimentRunner(() => new ReferenceSimulation()) { Replications = 3, Parallelism = 4 }
            .RunAsync(baseScenario, Variants, HostProfit);
        Assert.Equal(sequential.Runs, parallel.Runs);
        Assert.Equal(6, sequential.Runs.Select(r => r.Fingerprint).Distinct().Count());
    }

    [Fact]
    public void The_paired_difference_is_taken_over_matched_seeds()
    {
        // Each seed's luck (1000, 5000, 9000) is shared by both variants; the effect is +10 ± 1.
        RunResult<double> Run(string variant, int r, double value) => new(variant, r, Seeds.ForReplication(1, r), value, "");
        var results = new ExperimentResults<double>(["a", "b"],
        [
            Run("a", 0, 1000), Run("a", 1, 5000), Run("a", 2, 9000), Run("a", 3, 7000),
            Run("b", 0, 1009), Run("b", 1, 5011), Run("b", 2, 9010),   // replication 3 of b failed or was left out
        ]);

        var paired = results.PairedDifference("b", "a", v => v)!;
        Assert.Equal(3, paired.N);
        Assert.Equal(10, paired.Mean, 12);
        Assert.Equal(1, paired.Sd, 12);
        var half = Estimate.TQuantile(2) * 1 / Math.Sqrt(3);
        Assert.Equal(10 - half, paired.Ci95Low, 9);
        Assert.Equal(10 + half, paired.Ci95High, 9);
        Assert.Equal([0, 1, 2], results.Pairs("b", "a").Select(p => p.Variant.Replication));
        // The independent intervals overlap entirely; the paired one says b is higher.
        Assert.True(results.Estimate("a", v => v).Overlaps(results.Estimate("b", v => v)));
        Assert.True(paired.Ci95Low > 0);

        // A run with another seed is not a pair.
        var mismatched = new ExperimentResults<double>(["a", "b"], [Run("a", 0, 1), Run("b", 0, 2) with { Seed = 99 }]);
        Assert.Null(mismatched.PairedDifference("b", "a", v => v));
    }
}
