using MarketSim.Contracts;

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

    [Fact]
    public async Task A_runs_agents_are_grouped_one_per_silo_and_the_coordinators_calls_do_not_grow_with_blocks()
    {
        async Task<(TickTraffic Traffic, string[] Silos, string Fingerprint)> Grouped(int blockSize)
        {
            var runId = $"groups-{blockSize}-{Guid.NewGuid():N}";
            var scenario = ShippedScenarios.Load("small", 20);
            scenario.Customers.Count = 3000;
            scenario.Engine.BlockSize = blockSize;
            var run = await Runs.RunAsync(cluster.Engine(runId), scenario);
            var client = cluster.Cluster.Client;
            var silos = await Task.WhenAll(Enumerable.Range(0, 3).Select(g => client.GetGrain<IAgentGroupGrain>(AgentGroupGrain.KeyOf(runId, g)).Silo()));
            return (await client.GetGrain<IRunCoordinatorGrain>(runId).Traffic(), silos, run.Outcome.Fingerprint);
        }
        var few = await Grouped(1024);   // 3 blocks
        var many = await Grouped(64);    // 47 blocks
        // Three groups, each on its own silo.
        Assert.Equal(3, few.Silos.Distinct().Count());
        Assert.Equal(3, many.Silos.Distinct().Count());
        // Six calls a tick to each group at most (a group whose providers have no contract requests is not asked to
        // decide), whether the customers are in a few blocks or in many.
        Assert.Equal(20, few.Traffic.Ticks);
        Assert.InRange(few.Traffic.Calls / (double)few.Traffic.Ticks, 9, 18);
        Assert.InRange(many.Traffic.Calls / (double)many.Traffic.Ticks, 9, 18);
        Assert.Equal(few.Traffic.Calls, many.Traffic.Calls);
        // Results do not depend on the grouping or the blocks.
        var scenario = ShippedScenarios.Load("small", 20);
        scenario.Customers.Count = 3000;
        scenario.Engine.BlockSize = 1024;
        Assert.Equal((await Runs.ReferenceAsync(scenario)).Outcome.Fingerprint, few.Fingerprint);
    }
}
