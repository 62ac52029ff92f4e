namespace MarketSim.Model.Tests.Engine;

/// <summary>The mechanisms that make the market behave like the real one: choice with taste, unmet demand going
/// to the next choice, supply that follows demand, model releases and the price of a fixed capability.</summary>
public class MarketMechanismTests
{
    private static Scenario TwoProviders(int gpusA, int gpusB, double priceA, double priceB, ulong seed = 3, int ticks = 90,
        double tasteSpread = 0.3, int customers = 2000)
    {
        var segment = TestMarkets.Segment(1.0, switchingCost: 0, inertia: 0, termShare: 0);
        segment.TasteSpread = tasteSpread;
        return new Scenario
        {
            Name = "two",
            Ticks = ticks,
            Seed = seed,
            Market = new MarketSettings { ThroughputRealisation = 1 },
            Providers = [TestMarkets.Provider("a", "cost-plus", priceA, gpusA), TestMarkets.Provider("b", "cost-plus", priceB, gpusB)],
            Customers = new CustomerSettings { Count = customers, Segments = new() { ["nlp"] = segment } },
            Engine = new EngineSettings { BlockSize = 512 },
        };
    }

    private static void HoldPrices(Scenario s)
    {
        foreach (var p in s.Providers) p.Pricing.HoldDays = 3650;
    }

    [Fact]
    public void Near_equal_providers_share_the_market_smoothly_across_seeds()
    {
        var shares = new List<double>();
        foreach (var seed in new ulong[] { 1, 2, 3, 4, 5 })
        {
            var s = TwoProviders(4000, 4000, 2.0, 2.0, seed, ticks: 40);
            HoldPrices(s);
            var last = TestMarkets.Run(s, out _)[^1];
            shares.Add(last.ShareByTokens(0));
        }
        Assert.All(shares, x => Assert.InRange(x, 0.35, 0.65));
    }

    [Fact]
    public void A_lower_price_wins_share_but_not_the_whole_market()
    {
        var s = TwoProviders(4000, 4000, 1.8, 2.0, ticks: 40);
        HoldPrices(s);
        var last = TestMarkets.Run(s, out _)[^1];
        var share = last.Providers[0].Total.ServedTokens / (double)last.TokensServed;
        Assert.InRange(share, 0.55, 0.9);
    }

    [Fact]
    public void Unmet_demand_goes_to_the_next_choice_within_capacity_and_the_rest_is_reported_lost()
    {
        // a is cheap and far too small; b has room. Nothing may be served beyond capacity, and b serves a's
        // overflow in the same tick.
        var s = TwoProviders(5, 4000, 1.0, 2.0, ticks: 30);
        HoldPrices(s);
        foreach (var p in s.Providers) p.Expansion.MaxOnDemandShare = 0;
        var ticks = TestMarkets.Run(s, out _);
        foreach (var t in ticks)
        {
            foreach (var p in t.Providers) Assert.True(p.Total.ServedTokens <= p.Total.CapacityTokens);
            Assert.Equal(t.TokensWanted - t.Segments.Sum(x => x.ServedTokens), t.TokensLost);
            Assert.Equal(t.CustomersPaidMicros, t.ProvidersReceivedMicros);
        }
        var first = ticks[0];
        Assert.True(first.Providers[0].Total.ServedTokens < first.Providers[0].Tiers[1].DemandTokens, "a was not full");
        Assert.True(first.Segments.Sum(x => x.SecondChoiceTokens) > 0, "nothing went to the next choice");
        Assert.True(first.ServedShare > 0.9, $"served share {first.ServedShare}");
    }

    [Fact]
    public void Supply_follows_a_demand_shock_by_renting_then_reserving()
    {
        var s = TwoProviders(20, 20, 2.0, 2.0, ticks: 200);
        HoldPrices(s);
        s.Events = [new EventSpec { Tick = 20, Kind = "demand-shock", Factor = 3 }];
        var ticks = TestMarkets.Run(s, out _);
        var before = ticks[19];
        Assert.True(ticks.Skip(21).Take(15).Any(t => t.Providers.Any(p => p.Total.RentedGpus > 0)), "no GPUs were rented after the shock");
        Assert.True(ticks[^1].Providers.Sum(p => p.Total.Gpus) > before.Providers.Sum(p => p.Total.Gpus));
        Assert.True(ticks[^1].ServedShare > 0.97, $"served share at the end {ticks[^1].ServedShare}");
        Assert.True(ticks.Skip(30).Min(t => t.ServedShare) > ticks.Skip(20).Take(10).Min(t => t.ServedShare) - 1e-9);
    }

    [Fact]
    public void A_model_release_replaces_the_tiers_model_and_the_capability_price_follows_it()
    {
        var s = TwoProviders(4000, 4000, 2.0, 2.0, ticks: 40);
        s.Market.CapabilityLevels = [new CapabilityLevel { Label = "q85", Quality = 0.85 }];
        s.Events =
        [
            new EventSpec
            {
                Tick = 10, Kind = "model-release", Provider = "b",
                Release = new ModelSpec { Id = "b-next", Tier = "mid", ParametersB = 35, Quality = 0.9, ListPrice = 1.2 },
            },
        ];
        HoldPrices(s);
        var ticks = TestMarkets.Run(s, out _);
        Assert.True(double.IsNaN(ticks[9].CapabilityListed[0]));
        Assert.Equal(0.9, ticks[10].Providers[1].Tiers[1].Quality);
        Assert.Equal(1.2, ticks[10].CapabilityListed[0], 6);
        Assert.True(ticks[^1].Providers[1].Total.ServedTokens > ticks[^1].Providers[0].Total.ServedTokens);
    }

    [Fact]
    public void A_retired_model_is_no_longer_offered_and_its_customers_move()
    {
        var s = TwoProviders(4000, 4000, 2.0, 2.0, ticks: 40);
        s.Events = [new EventSpec { Tick = 10, Kind = "model-retirement", Provider = "a", Model = "a-70b" }];
        HoldPrices(s);
        var ticks = TestMarkets.Run(s, out _);
        Assert.True(ticks[9].Providers[0].Total.ServedTokens > 0);
        Assert.False(ticks[12].Providers[0].Tiers[1].Offered);
        Assert.Equal(0, ticks[^1].Providers[0].Total.ServedTokens);
        Assert.True(ticks[^1].ServedShare > 0.95);
    }

    [Fact]
    public void Training_cost_is_paid_from_cash_for_its_months_and_never_enters_the_unit_cost()
    {
        var cheap = TwoProviders(400, 400, 2.0, 2.0, ticks: 70);
        var dear = TwoProviders(400, 400, 2.0, 2.0, ticks: 70);
        dear.Providers[0].Models[0].TrainingCost = 30.44e6;
        dear.Providers[0].Models[0].AmortisationMonths = 1;
        var a = TestMarkets.Run(cheap, out _);
        var b = TestMarkets.Run(dear, out _);
        Assert.Equal(a[5].Providers[0].Tiers[1].UnitCost, b[5].Providers[0].Tiers[1].UnitCost);
        // One month of amortisation at $1M a day, then none.
        Assert.Equal(1_000_000, (b[5].Providers[0].Total.CostMicros - a[5].Providers[0].Total.CostMicros) / 1e6, 0);
        Assert.Equal(a[60].Providers[0].Total.CostMicros, b[60].Providers[0].Total.CostMicros);
    }

    [Fact]
    public void Customers_do_not_churn_without_a_reason()
    {
        // A stable market: after the first month, few customers change provider.
        var s = TwoProviders(4000, 4000, 2.0, 2.1, ticks: 120);
        foreach (var seg in s.Customers.Segments.Values) { seg.SwitchingCost = 300; seg.Inertia = 0.1; }
        HoldPrices(s);
        var ticks = TestMarkets.Run(s, out _);
        var active = ticks[^1].Segments.Sum(x => x.ActiveCustomers);
        var switches = ticks.Skip(30).Sum(t => t.Switches);
        Assert.True(switches < 0.1 * active, $"{switches} switches among {active} customers");
    }
}
