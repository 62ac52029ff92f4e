using System.Globalization;

namespace MarketSim.Integration.Tests;

/// <summary>What Prometheus scraped for the run's last tick equals the run's own last observation.</summary>
[Collection(PacedRunCollection.Name)]
public sealed class MetricValueTests(PacedRunFixture run)
{
    private const double Tolerance = 1e-9;

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(Math.Abs(expected), Math.Abs(actual)),
            $"{what}: expected {expected:R}, Prometheus has {actual:R}");

    private string Run => $"run=\"{run.RunId}\"";

    [Fact]
    public async Task Provider_list_prices_equal_the_last_tick_in_US_dollars_per_million_tokens()
    {
        var scraped = await run.Prometheus.QueryAsync($"marketsim_provider_list_price_USD_per_M{{{Run}}}");
        var expected = new Dictionary<(string, string), double>();
        for (var p = 0; p < run.Last.Providers.Length; p++)
            for (var t = 0; t < Tiers.Count; t++)
                if (run.Last.Providers[p].Tiers[t] is { Offered: true } tier)
                    expected[(TestMarket.ProviderIds[p], Tiers.Names[t])] = tier.ListPrice / 1e6;
        Assert.True(expected.Count >= 5, $"the test market should offer at least 5 models at its last tick, it offers {expected.Count}");
        Assert.Equal(expected.Keys.Order(), scraped.Select(s => (s["provider"], s["tier"])).Order());
        foreach (var s in scraped)
            AssertClose(expected[(s["provider"], s["tier"])], s.Value, $"list price of {s["provider"]} {s["tier"]}");
    }

    [Fact]
    public async Task Learner_figures_equal_the_last_tick_and_only_learning_providers_export_them()
    {
        var metrics = new (string Name, Func<ProviderTierTick, double> Value)[]
        {
            ("marketsim_provider_learner_exploration", t => t.LearnerExploration),
            ("marketsim_provider_learner_greedy_price_USD_per_M", t => t.LearnerGreedyPrice),
            ("marketsim_provider_learner_q_spread", t => t.LearnerQSpread),
        };
        foreach (var (name, value) in metrics)
        {
            var scraped = await run.Prometheus.QueryAsync($"{name}{{{Run}}}");
            var expected = new Dictionary<(string, string), double>();
            for (var p = 0; p < run.Last.Providers.Length; p++)
                for (var t = 0; t < Tiers.Count; t++)
                    if (run.Last.Providers[p].Tiers[t] is { Offered: true } tier && double.IsFinite(value(tier)))
                        expected[(TestMarket.ProviderIds[p], Tiers.Names[t])] = value(tier);
            Assert.Equal([("lab-c", "small")], expected.Keys);
            Assert.Equal(expected.Keys.Order(), scraped.Select(s => (s["provider"], s["tier"])).Order());
            foreach (var s in scraped)
                AssertClose(expected[(s["provider"], s["tier"])], s.Value, $"{name} of {s["provider"]} {s["tier"]}");
        }
    }

    [Fact]
    public async Task Price_index_per_tier_equals_the_last_tick()
    {
        var scraped = await run.Prometheus.QueryAsync($"marketsim_market_price_index_USD_per_M{{{Run}}}");
        var sold = Enumerable.Range(0, Tiers.Count).Where(t => !double.IsNaN(run.Last.PriceIndex[t])).ToArray();
        Assert.NotEmpty(sold);
        Assert.Equal(sold.Select(t => Tiers.Names[t]).Order(), scraped.Select(s => s["tier"]).Order());
        foreach (var s in scraped)
            AssertClose(run.Last.PriceIndex[Tiers.IndexOf(s["tier"])], s.Value, $"price index of {s["tier"]}");
    }

    [Fact]
    public async Task Market_and_engine_figures_equal_the_last_tick()
    {
        async Task<double> One(string metric, string aggregate = "{0}") =>
            Assert.Single(await run.Prometheus.QueryAsync(string.Format(aggregate, $"{metric}{{{Run}}}"))).Value;
        Assert.Equal(run.Last.Tick, await One("marketsim_engine_tick"));
        Assert.Equal(PacedRunFixture.Ticks, await One("marketsim_engine_horizon"));
        Assert.Equal(run.Last.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), DateTime.UnixEpoch.AddSeconds(await One("marketsim_engine_simulated_date_seconds")));
        Assert.Equal(run.Observations.Count, await One("marketsim_engine_ticks_total", "sum({0})"));
        Assert.Equal(run.Observations.Count, await One("marketsim_engine_tick_duration_seconds_count", "sum({0})"));
        AssertClose(run.Last.Hhi, await One("marketsim_market_hhi"), "HHI");
        Assert.Equal(run.Last.ActiveProviders, await One("marketsim_market_active_providers"));
        Assert.Equal(run.Observations.Sum(o => o.Entries), await One("marketsim_market_entries_total", "sum({0})"));
        Assert.Equal(run.Observations.Sum(o => o.Exits), await One("marketsim_market_exits_total", "sum({0})"));
        Assert.True(run.Observations.Sum(o => o.Entries) >= 1, "the entrant should have entered");
    }

    [Fact]
    public async Task Wanted_served_lost_tokens_and_capability_prices_equal_the_last_tick()
    {
        async Task<double> One(string metric) => Assert.Single(await run.Prometheus.QueryAsync($"{metric}{{{Run}}}")).Value;
        var o = run.Last;
        Assert.Equal(o.TokensWanted, await One("marketsim_market_wanted_tokens"));
        Assert.Equal(o.TokensWanted - o.TokensLost, await One("marketsim_market_served_tokens"));
        Assert.Equal(o.TokensLost, await One("marketsim_market_lost_tokens"));
        AssertClose(o.ServedShare, await One("marketsim_market_served_share"), "served share");
        Assert.Equal(o.Segments.Sum(x => x.SecondChoiceTokens), await One("marketsim_market_second_choice_tokens"));
        Assert.True(o.TokensWanted > 0, "the test market should want tokens at its last tick");

        var levels = new MarketSetup(TestMarket.Build(PacedRunFixture.Ticks)).CapabilityLevels;
        var expected = new Dictionary<(string, string), double>();
        for (var l = 0; l < levels.Length; l++)
        {
            if (double.IsFinite(o.CapabilityListed[l])) expected[(levels[l].Label, "listed")] = o.CapabilityListed[l];
            if (double.IsFinite(o.CapabilityBought[l])) expected[(levels[l].Label, "bought")] = o.CapabilityBought[l];
        }
        Assert.Contains(("frontier-start", "listed"), expected.Keys);
        var scraped = await run.Prometheus.QueryAsync($"marketsim_market_capability_price_USD_per_M{{{Run}}}");
        Assert.Equal(expected.Keys.Order(), scraped.Select(x => (x["level"], x["kind"])).Order());
        foreach (var x in scraped)
            AssertClose(expected[(x["level"], x["kind"])], x.Value, $"capability price {x["level"]} {x["kind"]}");

        var rented = await run.Prometheus.QueryAsync($"marketsim_provider_rented_gpus{{{Run}}}");
        Assert.Equal(o.Providers.Length, rented.Count);
        for (var p = 0; p < o.Providers.Length; p++)
            Assert.Equal(o.Providers[p].Total.RentedGpus, rented.Single(x => x["provider"] == TestMarket.ProviderIds[p]).Value);
    }

    [Fact]
    public async Task Provider_cash_and_shares_equal_the_last_tick()
    {
        var cash = await run.Prometheus.QueryAsync($"marketsim_provider_cash_USD{{{Run}}}");
        var shares = await run.Prometheus.QueryAsync($"marketsim_market_share{{{Run}}}");
        Assert.Equal(run.Last.Providers.Length, cash.Count);
        Assert.Equal(run.Last.Providers.Length, shares.Count);
        for (var p = 0; p < run.Last.Providers.Length; p++)
        {
            var id = TestMarket.ProviderIds[p];
            AssertClose(run.Last.Providers[p].Total.CashMicros / 1e6, cash.Single(s => s["provider"] == id).Value, $"cash of {id}");
            AssertClose(run.Last.ShareByTokens(p), shares.Single(s => s["provider"] == id).Value, $"share of {id}");
        }
    }

    [Fact]
    public async Task Segment_switches_and_negotiations_count_every_tick_of_the_run()
    {
        var switches = await run.Prometheus.QueryAsync($"sum by (segment) (marketsim_segment_switches_total{{{Run}}})");
        for (var s = 0; s < Segments.Count; s++)
            Assert.Equal(run.Observations.Sum(o => o.Segments[s].Switches),
                switches.Single(x => x["segment"] == Segments.Names[s]).Value);
        var outcomes = await run.Prometheus.QueryAsync($"sum by (outcome) (marketsim_negotiation_outcomes_total{{{Run}}})");
        var names = MarketSim.Grains.Telemetry.NegotiationMetrics.OutcomeNames;
        for (var i = 0; i < names.Length; i++)
            Assert.Equal(run.Observations.Sum(o => o.Negotiations[i]), outcomes.Single(x => x["outcome"] == names[i]).Value);
        var rounds = Assert.Single(await run.Prometheus.QueryAsync($"sum(marketsim_negotiation_rounds_count{{{Run}}})"));
        Assert.Equal(run.Observations.Sum(o => o.Negotiations.Skip(NegotiationStats.Outcomes).Sum()), rounds.Value);
        Assert.True(rounds.Value > 0, "the test market should negotiate term contracts");
        var buckets = await run.Prometheus.QueryAsync($"sum by (le) (marketsim_negotiation_rounds_bucket{{{Run}}})");
        static double Le(PrometheusServer.Series b) => b["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(b["le"], CultureInfo.InvariantCulture);
        Assert.Equal([.. Enumerable.Range(1, NegotiationStats.MaxRounds).Select(r => (double)r), double.PositiveInfinity],
            buckets.Select(Le).Order());
        // Cumulative buckets: the one of at most r rounds holds the run's negotiations of 1..r rounds.
        for (var r = 1; r <= NegotiationStats.MaxRounds; r++)
            Assert.Equal(run.Observations.Sum(o => o.Negotiations.Skip(NegotiationStats.Outcomes).Take(r).Sum()),
                buckets.Single(b => Le(b) == r).Value);
    }
}
