using MarketSim.Model.Randomness;

namespace MarketSim.Cli.Experiments;

/// <summary>Seeds of replications: replication r (0-based) uses the (r+1)-th output of a SplitMix64 generator
/// started at the experiment's root seed. Every variant uses the same seed for the same replication (common random
/// numbers), so differences between variants are not differences of luck.</summary>
public static class Seeds
{
    public static ulong ForReplication(ulong rootSeed, int replication)
    {
        var state = rootSeed;
        ulong z = 0;
        for (var i = 0; i <= replication; i++) z = SplitMix64(ref state);
        return z;
    }

    public static ulong SplitMix64(ref ulong state) => RandomStream.SplitMix64(ref state);
}
