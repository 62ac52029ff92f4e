namespace MarketSim.Grains.Tests;

/// <summary>The Orleans engine must give exactly the reference engine's results, on one silo and on three.</summary>
public sealed class OneSiloEquivalenceTests(OneSiloCluster cluster) : IClassFixture<OneSiloCluster>
{
    [Theory]
    [InlineData("small", 0)]
    [InlineData("price-war", 90)]
    [InlineData("logit-duopoly", 0)]
    [InlineData("calvano-2020", 300)]
    [InlineData("monopolist", 2000)]
    public async Task Orleans_on_one_silo_matches_the_reference_fingerprint(string scenario, int ticks)
    {
        var s = ShippedScenarios.Load(scenario, ticks);
        var reference = await Runs.ReferenceAsync(s);
        var orleans = await Runs.RunAsync(cluster.Engine(), ShippedScenarios.Load(scenario, ticks));
        Assert.Equal(s.Ticks, orleans.Outcome.TicksCompleted);
        Assert.Equal(reference.Outcome.Fingerprint, orleans.Outcome.Fingerprint);
        Assert.Equal(reference.Ticks[^1].PriceIndex, orleans.Ticks[^1].PriceIndex);
    }
}

public sealed class ThreeSiloEquivalenceTests(ThreeSiloCluster cluster) : IClassFixture<ThreeSiloCluster>
{
    [Theory]
    [InlineData("small", 0)]
    [InlineData("price-war", 90)]
    [InlineData("logit-duopoly", 0)]
    [InlineData("calvano-2020", 300)]
    [InlineData("monopolist", 2000)]
    public async Task Orleans_on_three_silos_matches_the_reference_fingerprint(string scenario, int ticks)
    {
        var reference = await Runs.ReferenceAsync(ShippedScenarios.Load(scenario, ticks));
        var orleans = await Runs.RunAsync(cluster.Engine(), ShippedScenarios.Load(scenario, ticks));
        Assert.Equal(reference.Outcome.Fingerprint, orleans.Outcome.Fingerprint);
        Assert.Equal(reference.Ticks.Select(t => t.CustomersPaidMicros), orleans.Ticks.Select(t => t.CustomersPaidMicros));
    }

    [Fact]
    public async Task Two_runs_at_once_give_the_fingerprints_they_give_alone()
    {
        var a = ShippedScenarios.Load("small", 0);
        var b = ShippedScenarios.Load("small", 0);
        b.Seed = a.Seed + 1;
        var aloneA = await Runs.ReferenceAsync(ShippedScenarios.Load("small", 0));
        var bAlone = ShippedScenarios.Load("small", 0);
        bAlone.Seed = b.Seed;
        var aloneB = await Runs.ReferenceAsync(bAlone);
        Assert.NotEqual(aloneA.Outcome.Fingerprint, aloneB.Outcome.Fingerprint);

        var together = await Task.WhenAll(Runs.RunAsync(cluster.Engine(), a), Runs.RunAsync(cluster.Engine(), b));
        Assert.Equal(aloneA.Outcome.Fingerprint, together[0].Outcome.Fingerprint);
        Assert.Equal(aloneB.Outcome.Fingerprint, together[1].Outcome.Fingerprint);
    }
}
