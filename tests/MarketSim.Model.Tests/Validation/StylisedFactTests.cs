using MarketSim.Model.Tests.Engine;
using MarketSim.Model.Tests.Scenarios;

namespace MarketSim.Model.Tests.Validation;

/// <summary>The baseline's runs over several seeds, and the China price war with and without the leader's cut, run
/// once for all the stylised-fact tests (reference engine).</summary>
public sealed class ValidationRuns
{
    public static readonly ulong[] Seeds = [1, 2, 3];
    public static readonly ulong[] WarSeeds = [1, 2];
    /// <summary>15 May 2024, the day of the leader's cut in china-price-war.yaml.</summary>
    public const int CutTick = 441;

    public IReadOnlyList<List<TickObservation>> Baseline { get; }
    public IReadOnlyList<(List<TickObservation> Cut, List<TickObservation> NoCut)> War { get; }
    public MarketSetup Setup { get; }

    public ValidationRuns()
    {
        Setup = new MarketSetup(Load());
        var baseline = new List<TickObservation>[Seeds.Length];
        var war = new (List<TickObservation>, List<TickObservation>)[WarSeeds.Length];
        Parallel.For(0, Seeds.Length + 2 * WarSeeds.Length, i =>
        {
            if (i < Seeds.Length)
            {
                var s = Load();
                s.Seed = Seeds[i];
                baseline[i] = TestMarkets.Run(s, out _);
                return;
            }
            var w = (i - Seeds.Length) / 2;
            var cut = (i - Seeds.Length) % 2 == 0;
            var runs = TestMarkets.Run(WarScenario(WarSeeds[w], cut), out _);
            if (cut) war[w].Item1 = runs; else war[w].Item2 = runs;
        });
        Baseline = baseline;
        War = war;
    }

    public static Scenario Load()
    {
        var result = ScenarioLoader.Load(Path.Combine(HorizonTests.RepositoryRoot(), "config", "scenarios", "baseline.yaml"));
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Scenario!;
    }

    /// <summary>config/scenarios/china-price-war.yaml built from the baseline: 564 ticks, and the leader's 95 % cut
    /// on 15 May 2024 (or not).</summary>
    public static Scenario WarScenario(ulong seed, bool cut)
    {
        var s = Load();
        s.Seed = seed;
        s.Ticks = 564;
        if (cut) s.Events.Add(new EventSpec { Id = "leader-cut", At = new DateOnly(2024, 5, 15), Kind = "price-cut", Provider = "frontier-a", Fraction = 0.95 });
        return s;
    }
}

/// <summary>
/// The stylised facts of the 2023-2026 LLM API market that the baseline reproduces, one test each, over several
/// seeds; docs/VALIDATION.md gives each fact's source and the figures. A change that breaks a fact fails its test.
/// </summary>
public sealed class StylisedFactTests(ValidationRuns runs) : IClassFixture<ValidationRuns>
{
    private int Level(string label) => Array.FindIndex(runs.Setup.CapabilityLevels, l => l.Label == label);

    [Fact]
    public void The_price_of_GPT_4_class_capability_falls_at_least_sevenfold_a_year()
    {
        var g4 = Level("gpt-4-class");
        foreach (var ticks in runs.Baseline)
        {
            var start = ticks[0].CapabilityBought[g4];
            Assert.True(start / ticks[730].CapabilityBought[g4] >= 49, $"two years: {start} -> {ticks[730].CapabilityBought[g4]}");
            Assert.True(start / ticks[^1].CapabilityBought[g4] >= 100, $"three years: {start} -> {ticks[^1].CapabilityBought[g4]}");
        }
    }

    [Fact]
    public void Flagship_prices_fall_far_less_than_the_price_of_a_fixed_capability()
    {
        var g4 = Level("gpt-4-class");
        var frontier = Tiers.IndexOf("frontier");
        foreach (var ticks in runs.Baseline)
        {
            var index = ticks[0].PriceIndex[frontier] / ticks[^1].PriceIndex[frontier];
            var capability = ticks[0].CapabilityBought[g4] / ticks[^1].CapabilityBought[g4];
            Assert.InRange(index, 3, 30);
            Assert.True(capability >= 10 * index, $"capability x{capability:F0}, flagship index x{index:F1}");
        }
    }

    [Fact]
    public void Concentration_falls_from_a_dominant_leader_to_a_moderately_concentrated_market()
    {
        foreach (var ticks in runs.Baseline)
        {
            // Menlo Ventures' 2023 shares (OpenAI 50 %, Anthropic 12 %) put the 2023 HHI at 2,644 or more; 2025's at
            // about 2,200 to 2,800.
            var firstYear = ticks.Take(365).Average(t => t.Hhi);
            Assert.True(firstYear >= 2600, $"first-year HHI {firstYear:F0}");
            Assert.True(firstYear >= ticks[^1].Hhi + 1000, $"first-year HHI {firstYear:F0}, at the end {ticks[^1].Hhi:F0}");
            Assert.InRange(ticks[^1].Hhi, 1500, 3000);
        }
    }

    [Fact]
    public void Token_volume_grows_by_two_orders_of_magnitude()
    {
        foreach (var ticks in runs.Baseline)
            Assert.True(ticks[^1].TokensWanted >= 100.0 * ticks[30].TokensWanted, $"x{ticks[^1].TokensWanted / (double)ticks[30].TokensWanted:F0}");
    }

    [Fact]
    public void Rationing_is_a_transient_after_shocks()
    {
        foreach (var ticks in runs.Baseline)
        {
            Assert.True(ticks.Count(t => t.ServedShare < 0.95) <= 0.2 * ticks.Count, $"{ticks.Count(t => t.ServedShare < 0.95)} rationed ticks");
            Assert.True(ticks.TakeLast(365).Average(t => t.ServedShare) >= 0.98);
        }
    }

    [Fact]
    public void DeepSeek_V3_cuts_the_price_of_GPT_4_class_capability_at_least_threefold()
    {
        // DeepSeek-V3 at $0.27 / $1.10 on 26 December 2024 (tick 666).
        var g4 = Level("gpt-4-class");
        foreach (var ticks in runs.Baseline)
            Assert.True(ticks[660].CapabilityListed[g4] >= 3 * ticks[720].CapabilityListed[g4],
                $"{ticks[660].CapabilityListed[g4]} -> {ticks[720].CapabilityListed[g4]}");
    }

    [Fact]
    public void No_frontier_lab_or_hyperscaler_exits()
    {
        var majors = new[] { "frontier-a", "frontier-b", "hyperscaler" }.Select(runs.Setup.ProviderIndex).ToArray();
        foreach (var ticks in runs.Baseline)
            Assert.All(majors, p => Assert.True(ticks[^1].Providers[p].Total.Active));
    }

    [Fact]
    public void Closed_models_earn_most_revenue_while_open_weights_carry_a_large_share_of_tokens()
    {
        var closed = new[] { "frontier-a", "frontier-b", "hyperscaler", "cloud" }.Select(runs.Setup.ProviderIndex).ToArray();
        var open = new[] { "open-lab", "host-a", "host-b" }.Select(runs.Setup.ProviderIndex).ToArray();
        foreach (var ticks in runs.Baseline)
        {
            var last = ticks[^1];
            Assert.True(closed.Sum(last.ShareByRevenue) >= 0.8, $"closed revenue share {closed.Sum(last.ShareByRevenue):F2}");
            Assert.True(open.Sum(last.ShareByTokens) >= 0.3, $"open token share {open.Sum(last.ShareByTokens):F2}");
        }
    }

    [Fact]
    public void The_leaders_price_war_grows_volume_and_consumer_surplus_and_costs_the_providers_profit()
    {
        var cutTick = ValidationRuns.CutTick;
        foreach (var (cut, noCut) in runs.War)
        {
            double Tokens(List<TickObservation> t) => t.Skip(cutTick).Sum(o => (double)o.TokensServed);
            double Profit(List<TickObservation> t) => t.Skip(cutTick).Sum(o => o.Providers.Sum(p => (double)p.Total.ProfitMicros));
            double Surplus(List<TickObservation> t) => t.Skip(cutTick).Sum(o => (double)o.ConsumerSurplusMicros);
            Assert.True(Tokens(cut) >= 1.5 * Tokens(noCut), $"volume x{Tokens(cut) / Tokens(noCut):F2}");
            Assert.True(Profit(cut) < Profit(noCut), $"profit {Profit(cut) / 1e6:F0} vs {Profit(noCut) / 1e6:F0} US$");
            Assert.True(Surplus(cut) > Surplus(noCut));
            // Supply follows within its lead times: the served share is back above 95 % by the end.
            Assert.True(cut[^1].ServedShare >= 0.95, $"served share at the end {cut[^1].ServedShare:F3}");
            // Business customers stay: voice and healthcare customers change provider no more often than without the cut.
            foreach (var segment in new[] { "voice", "healthcare" })
            {
                var k = Segments.IndexOf(segment);
                double Rate(List<TickObservation> t) => t.Skip(cutTick).Sum(o => (double)o.Segments[k].Switches) / t[^1].Segments[k].ActiveCustomers;
                Assert.True(Rate(cut) <= Rate(noCut) + 0.1, $"{segment}: {Rate(cut):F2} switches a customer with the cut, {Rate(noCut):F2} without");
            }
            // The leader's share four months on moves modestly against the market without the cut.
            var leader = runs.Setup.ProviderIndex("frontier-a");
            Assert.InRange(cut[^1].ShareByTokens(leader) - noCut[^1].ShareByTokens(leader), -0.15, 0.15);
        }
    }
}
