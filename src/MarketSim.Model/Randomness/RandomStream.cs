namespace MarketSim.Model.Randomness;

/// <summary>What a random draw is for; part of the key that derives a stream, so that adding draws for one
/// purpose never shifts the draws of another.</summary>
public enum Purpose : ulong
{
    Population = 1,
    Arrival = 2,
    Exploration = 3,
    Review = 4,
    Negotiation = 5,
    /// <summary>A customer's lasting taste for one provider's model (keyed by slot instead of tick).</summary>
    Taste = 6,
    /// <summary>Which providers a shopping customer asks for quotes.</summary>
    Consideration = 7,
    /// <summary>The tick's offset of the logit segments' choice (agent -1: the market).</summary>
    LogitChoice = 8,
}

/// <summary>
/// A small deterministic random stream (SplitMix64). Every stream is derived from (seed, agent, tick, purpose),
/// so a run's draws never depend on thread timing, message order or which silo hosts an agent.
/// </summary>
public struct RandomStream
{
    private ulong _state;

    private RandomStream(ulong state) => _state = state;

    public static RandomStream For(ulong seed, long agent, int tick, Purpose purpose)
    {
        var h = Mix(seed ^ 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ (ulong)agent);
        h = Mix(h ^ ((ulong)(uint)tick << 8) ^ (ulong)purpose);
        return new RandomStream(h);
    }

    /// <summary>Agent key of a provider, disjoint from customer ids.</summary>
    public static long ProviderAgent(int providerIndex) => (1L << 48) | (uint)providerIndex;

    public ulong NextUInt64() => SplitMix64(ref _state);

    /// <summary>One step of SplitMix64 (Steele, Lea and Flood 2014) on a raw state.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public int NextInt(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    /// <summary>Standard normal draw (Box-Muller).</summary>
    public double NextNormal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
