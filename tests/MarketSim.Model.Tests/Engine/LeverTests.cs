using MarketSim.Model.Economics;

namespace MarketSim.Model.Tests.Engine;

/// <summary>The levers of docs/MODEL.md section 16: each switches one cause of price change off at its mechanism,
/// and the default (no levers, or all live) leaves a run bit for bit as it was.</summary>
public sealed class LeverTests
{
    private static Scenario With(Scenario s, Action<LeverSettings> set)
    {
        s.Levers = new LeverSettings();
        set(s.Levers);
        return s;
    }

    private static int Mid => Tiers.IndexOf("mid");

    [Fact]
    public void All_levers_live_is_the_run_without_levers_and_is_not_written()
    {
        TestMarkets.Run(TestMarkets.Mixed(ticks: 40), out var without);
        TestMarkets.Run(With(TestMarkets.Mixed(ticks: 40), _ => { }), out var live);

        Assert.Equal(without, live);
        Assert.DoesNotContain("levers", ScenarioJson.Serialize(TestMarkets.Mixed()));
    }

    [Fact]
    public void Hardware_frozen_rents_every_GPU_at_its_day_0_price_and_sells_no_later_generation()
    {
        var scenario = With(TestMarkets.Mixed(ticks: 900), l => l.Hardware = LeverSettings.Frozen);
        scenario.Events.Add(new EventSpec { Tick = 10, Kind = "gpu-price-shock", Gpu = "H100", Factor = 0.5 });
        var frozen = new MarketSetup(scenario);
        var live = new MarketSetup(TestMarkets.Mixed(ticks: 900));
        var last = scenario.Ticks - 1;

        foreach (var gpu in frozen.Gpus.Where(g => g.AvailableFromTick == 0))
        {
            Assert.Equal(frozen.GpuPricePerHour(gpu.Index, 0), frozen.GpuPricePerHour(gpu.Index, last));
            Assert.Equal(live.GpuPricePerHour(gpu.Index, 0), frozen.GpuPricePerHour(gpu.Index, 0));
        }
        Assert.NotEqual(live.GpuPricePerHour(frozen.GpuIndex("H100"), 0), live.GpuPricePerHour(frozen.GpuIndex("H100"), last));
        var b200 = frozen.GpuIndex("B200");
        Assert.True(live.GpuAvailable(b200, last));
        Assert.False(frozen.GpuAvailable(b200, last));
    }

    [Fact]
    public void Hardware_frozen_keeps_a_cost_plus_providers_unit_cost_and_price_at_day_0()
    {
        var scenario = With(TestMarkets.Mixed(ticks: 60), l => l.Hardware = LeverSettings.Frozen);
        scenario.Events.Add(new EventSpec { Tick = 5, Kind = "gpu-price-shock", Gpu = "H100", Factor = 0.5 });

        var ticks = TestMarkets.Run(scenario, out _);

        // lab-a (cost-plus) holds only reserved H100s as long as it rents none on demand.
        var costs = ticks.Where(t => t.Providers[0].Total.RentedGpus == 0).Select(t => t.Providers[0].Tiers[Mid].UnitCost).Distinct().ToList();
        Assert.Single(costs);
    }

    [Fact]
    public void Technique_frozen_ignores_compression_events_and_serves_releases_with_day_0_figures()
    {
        var scenario = With(TestMarkets.Mixed(ticks: 30), l => l.Technique = LeverSettings.Frozen);
        scenario.Events.Add(new EventSpec { Tick = 5, Kind = "compression-breakthrough", Factor = 2 });
        scenario.Events.Add(new EventSpec
        {
            Tick = 10, Kind = "model-release", Provider = "lab-b",
            Release = new ModelSpec { Id = "b-small", Tier = "mid", ParametersB = 8, Quality = 0.85, Efficiency = 3, Compression = new CompressionSpec { Ratio = 4 } },
        });
        var liveScenario = TestMarkets.Mixed(ticks: 30);
        liveScenario.Events.AddRange(scenario.Events);

        var frozen = TestMarkets.Run(scenario, out _);
        var live = TestMarkets.Run(liveScenario, out _);

        var release = new MarketSetup(scenario).ModelsOf(1)[^1];
        Assert.Equal((70.0, 2.0, 1.0, 1, 1.0, 0.85), (release.ParametersB, release.Compression.Ratio, release.Efficiency, release.Parallelism.Gpus, release.Parallelism.Eta, release.Quality));
        // lab-a: the compression event changes neither its quality nor (at the same fleet) its unit cost.
        Assert.Equal(frozen[4].Providers[0].Tiers[Mid].Quality, frozen[^1].Providers[0].Tiers[Mid].Quality);
        Assert.NotEqual(live[4].Providers[0].Tiers[Mid].Quality, live[^1].Providers[0].Tiers[Mid].Quality);
        Assert.True(live[6].Providers[0].Tiers[Mid].UnitCost < 0.6 * frozen[6].Providers[0].Tiers[Mid].UnitCost);
    }

    [Fact]
    public void Competition_off_prices_every_model_cost_plus_at_its_markup_from_day_0_and_applies_no_price_cut()
    {
        var scenario = With(TestMarkets.Mixed(ticks: 40), l => l.Competition = LeverSettings.Off);

        var ticks = TestMarkets.Run(scenario, out _);

        foreach (var t in ticks)
            for (var p = 0; p < 3; p++)
            {
                var tier = t.Providers[p].Tiers[Mid];
                Assert.Equal(Money.FromDollars(tier.UnitCost * 1.5), tier.ListPrice);
            }
    }

    [Fact]
    public void Scale_frozen_charges_overheads_per_token_and_changes_nothing_without_overheads()
    {
        var plain = TestMarkets.Run(TestMarkets.Mixed(ticks: 40), out _);
        var frozenNoOverheads = TestMarkets.Run(With(TestMarkets.Mixed(ticks: 40), l => l.Scale = LeverSettings.Frozen), out _);
        Assert.Equal(plain.Select(t => t.Providers.Sum(p => p.Total.CostMicros)), frozenNoOverheads.Select(t => t.Providers.Sum(p => p.Total.CostMicros)));

        var withFixed = TestMarkets.Mixed(ticks: 40);
        withFixed.Providers[0].FixedCostPerDay = 50_000;
        var live = TestMarkets.Run(withFixed, out _);
        var scaled = With(TestMarkets.Mixed(ticks: 40), l => l.Scale = LeverSettings.Frozen);
        scaled.Providers[0].FixedCostPerDay = 50_000;
        var frozen = TestMarkets.Run(scaled, out _);

        // Day 0: the first-day volume sets the rate, so the charge is the same; later it follows the tokens served.
        Assert.Equal(live[0].Providers[0].Total.CostMicros, frozen[0].Providers[0].Total.CostMicros);
        Assert.NotEqual(live.Select(t => t.Providers[0].Total.CostMicros), frozen.Select(t => t.Providers[0].Total.CostMicros));
    }

    [Fact]
    public void Scale_frozen_state_round_trips()
    {
        var scenario = With(TestMarkets.Mixed(ticks: 20), l => l.Scale = LeverSettings.Frozen);
        scenario.Providers[0].FixedCostPerDay = 50_000;
        var engine = new ReferenceEngine(new MarketSetup(scenario));
        for (var i = 0; i < 5; i++) engine.Step();
        var resumed = new ReferenceEngine(new MarketSetup(scenario));
        resumed.Restore(engine.Checkpoint());
        while (!engine.Finished) { engine.Step(); resumed.Step(); }

        Assert.Equal(engine.Fingerprint(), resumed.Fingerprint());
    }

    /// <summary>The mixed market with a provider-entry event at tick 10 (a copy of provider 1 under another id) and
    /// provider 2 entering on day 5.</summary>
    private static Scenario WithEntrants(Scenario scenario)
    {
        var entrant = ScenarioJson.Deserialize(ScenarioJson.Serialize(new Scenario { Providers = [scenario.Providers[1]] })).Providers[0];
        entrant.Id = "entrant";
        foreach (var m in entrant.Models) m.Id += "-entrant";
        scenario.Events.Add(new EventSpec { Tick = 10, Kind = "provider-entry", Entrant = entrant });
        scenario.Providers[2].Enters = scenario.Start.AddDays(5);
        return scenario;
    }

    [Fact]
    public void Entry_off_keeps_the_day_0_sellers_and_no_later_entrant_ever_sells()
    {
        var live = TestMarkets.Run(WithEntrants(TestMarkets.Mixed(ticks: 40)), out _);
        var off = TestMarkets.Run(With(WithEntrants(TestMarkets.Mixed(ticks: 40)), l => l.Entry = LeverSettings.Off), out _);

        // Live: provider 2 enters on day 5 and the entrant (index 3) at tick 10, which sells.
        Assert.Equal(2, live.Sum(t => t.Entries));
        Assert.Equal(35, live.Count(t => t.Providers[2].Total.Active));
        Assert.Equal(30, live.Count(t => t.Providers[3].Total.Active));
        Assert.True(live.Sum(t => t.Providers[3].Total.ServedTokens) > 0);
        // Off: neither ever enters or sells; the day-0 sellers serve the market.
        Assert.Equal(0, off.Sum(t => t.Entries));
        Assert.All(off, t => Assert.False(t.Providers[2].Total.Active || t.Providers[3].Total.Active));
        Assert.Equal(0, off.Sum(t => t.Providers[2].Total.ServedTokens + t.Providers[3].Total.ServedTokens));
        Assert.True(off.Sum(t => t.TokensServed) > 0);
        // Before any entry the two runs are the same market.
        Assert.Equal(live.Take(5).Select(t => t.TokensServed), off.Take(5).Select(t => t.TokensServed));
    }

    [Fact]
    public void Releases_off_keeps_every_providers_day_0_line_up()
    {
        Scenario Market()
        {
            var scenario = TestMarkets.Mixed(ticks: 30);
            scenario.Events.Add(new EventSpec
            {
                Tick = 10, Kind = "model-release", Provider = scenario.Providers[0].Id,
                Release = new ModelSpec { Id = "a-next", Tier = "mid", ParametersB = 70, Quality = 0.9, ListPrice = 0.5 },
            });
            return scenario;
        }
        var live = TestMarkets.Run(Market(), out _);
        var off = TestMarkets.Run(With(Market(), l => l.Releases = LeverSettings.Off), out _);

        // Live: from tick 10 provider 0's mid model is the release (quality 0.9); off: its day-0 model (0.8) stays.
        Assert.All(live.Skip(10), t => Assert.Equal(0.9, t.Providers[0].Tiers[Mid].Quality));
        Assert.All(off, t => Assert.Equal(0.8, t.Providers[0].Tiers[Mid].Quality));
        Assert.Equal(live.Take(10).Select(t => t.TokensServed), off.Take(10).Select(t => t.TokensServed));
    }
}
