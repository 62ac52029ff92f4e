using MarketSim.Model.Randomness;

namespace MarketSim.Client;

/// <summary>Seeds of replications: replication r (0-based) uses the (r+1)-th output of a SplitMix64 generator
/// started at the experiment's root seed. Every variant uses the same seed for the same replication (common random
/// numbers), so differences between variants are not differences of luck. <c>marketsim sweep</c> and
/// <see cref="ExperimentRunner"/> both take their seeds from here.</summary>
public static class Seeds
{
    public static ulong ForReplication(ulong rootSeed, int replication)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replication);
        var state = rootSeed;
        ulong z = 0;
        for (var i = 0; i <= replication; i++) z = SplitMix64(ref state);
        return z;
    }

    public static ulong SplitMix64(ref ulong state) => RandomStream.SplitMix64(ref state);
}

/// <summary>One cell of an experiment's plan: a variant, a replication of it and the replication's seed.</summary>
public sealed record PlannedReplication<TVariant>(TVariant Variant, int Replication, ulong Seed);

/// <summary>The plan of an experiment: every variant × replication, variant by variant, replication r of every variant
/// with the seed <see cref="Seeds.ForReplication"/>(rootSeed, r) (common random numbers).</summary>
public static class ReplicationPlan
{
    public static IReadOnlyList<PlannedReplication<TVariant>> Of<TVariant>(IEnumerable<TVariant> variants, int replications, ulong rootSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replications);
        var seeds = Enumerable.Range(0, replications).Select(r => Seeds.ForReplication(rootSeed, r)).ToArray();
        return [.. variants.SelectMany(v => seeds.Select((seed, r) => new PlannedReplication<TVariant>(v, r, seed)))];
    }
}
