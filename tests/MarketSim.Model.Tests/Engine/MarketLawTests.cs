namespace MarketSim.Model.Tests.Engine;

public sealed class MarketLawTests
{
    [Fact]
    public void Money_and_tokens_are_conserved_every_tick_and_no_provider_serves_above_capacity()
    {
        var ticks = TestMarkets.Run(TestMarkets.Mixed(), out _);
        Assert.All(ticks, AssertConserved);
        Assert.True(ticks.Sum(t => t.CustomersPaidMicros) > 0, "the market traded nothing");
    }

    internal static void AssertConserved(TickObservation t)
    {
        Assert.Equal(t.CustomersPaidMicros, t.ProvidersReceivedMicros);
        Assert.Equal(t.Segments.Sum(s => s.ServedTokens), t.TokensServed);
        Assert.Equal(t.Segments.Sum(s => s.SpendMicros), t.CustomersPaidMicros);
        foreach (var p in t.Providers)
            foreach (var tier in p.Tiers)
                Assert.True(tier.ServedTokens <= tier.CapacityTokens, $"tick {t.Tick}: served {tier.ServedTokens} above capacity {tier.CapacityTokens}");
    }

    [Fact]
    public void Bertrand_competition_drives_the_price_to_unit_cost()
    {
        var ticks = TestMarkets.Run(TestMarkets.Bertrand(), out _);
        var last = ticks[^1];
        foreach (var p in last.Providers)
        {
            var mid = p.Tiers[Tiers.IndexOf("mid")];
            Assert.True(p.Total.Active);
            Assert.Equal(mid.UnitCost, mid.ListPrice / 1e6, mid.UnitCost * 0.01);
        }
        // And it started well above: the start prices were more than three times unit cost.
        Assert.True(ticks[0].Providers[0].Tiers[1].ListPrice / 1e6 > 3 * ticks[0].Providers[0].Tiers[1].UnitCost);
    }

    [Fact]
    public void Same_scenario_and_seed_give_the_same_fingerprint_and_another_seed_another()
    {
        TestMarkets.Run(TestMarkets.Mixed(), out var first);
        TestMarkets.Run(TestMarkets.Mixed(), out var second);
        TestMarkets.Run(TestMarkets.Mixed(seed: 12), out var other);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(64, first.Length);
    }

    [Fact]
    public void Results_do_not_depend_on_how_customers_are_split_into_blocks()
    {
        var small = TestMarkets.Mixed();
        small.Engine.BlockSize = 64;
        var large = TestMarkets.Mixed();
        large.Engine.BlockSize = 100_000;
        var a = TestMarkets.Run(small, out _);
        var b = TestMarkets.Run(large, out _);
        Assert.Equal(a.Select(t => t.CustomersPaidMicros), b.Select(t => t.CustomersPaidMicros));
        Assert.Equal(a.Select(t => t.ConsumerSurplusMicros), b.Select(t => t.ConsumerSurplusMicros));
        Assert.Equal(a[^1].Providers.Select(p => p.Total.CashMicros), b[^1].Providers.Select(p => p.Total.CashMicros));
    }

    [Fact]
    public void A_run_restored_from_a_checkpoint_ends_exactly_as_the_uninterrupted_run()
    {
        var scenario = TestMarkets.Mixed();
        TestMarkets.Run(scenario, out var uninterrupted);

        var first = new ReferenceEngine(new MarketSetup(TestMarkets.Mixed()));
        for (var i = 0; i < 25; i++) first.Step();
        var checkpoint = first.Checkpoint();

        var resumed = new ReferenceEngine(new MarketSetup(TestMarkets.Mixed()));
        resumed.Restore(checkpoint);
        Assert.Equal(25, resumed.NextTick);
        Assert.Equal(first.Fingerprint(), resumed.Fingerprint());
        while (!resumed.Finished) resumed.Step();
        Assert.Equal(uninterrupted, resumed.Fingerprint());
    }

    [Fact]
    public void A_provider_that_runs_out_of_cash_exits_and_its_customers_move_to_the_others()
    {
        var s = TestMarkets.Mixed(ticks: 90);
        s.Providers[0].Cash = 2_000;
        s.Providers[0].FixedCostPerDay = 100_000;
        var ticks = TestMarkets.Run(s, out _);
        var exit = ticks.First(t => t.Providers[0].Total.Exited);
        Assert.Equal(1, exit.Exits);
        Assert.All(ticks.Where(t => t.Tick > exit.Tick), t =>
        {
            Assert.False(t.Providers[0].Total.Active);
            Assert.Equal(0, t.Providers[0].Total.ServedTokens);
        });
        Assert.True(ticks[^1].TokensServed > 0);
        Assert.Equal(2, ticks[^1].ActiveProviders);
    }
}
