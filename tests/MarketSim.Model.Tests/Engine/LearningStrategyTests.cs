using System.Diagnostics;
using MarketSim.Model.Economics;
using MarketSim.Model.Scenarios;
using MarketSim.Model.Tests.Scenarios;
using Xunit.Abstractions;

namespace MarketSim.Model.Tests.Engine;

/// <summary>Learning providers run through the engine (docs/MODEL.md 9.6): a learning monopolist finds the Lerner
/// price, a value-based one prices at its markup, and every tick reports what the learner shows.</summary>
public sealed class LearningStrategyTests(ITestOutputHelper output)
{
    private static readonly int Mid = Tiers.IndexOf("mid");

    private static Scenario Load(string name, params string[] overrides)
    {
        var result = ScenarioLoader.Load(Path.Combine(HorizonTests.RepositoryRoot(), "config", "scenarios", name), overrides);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Scenario!;
    }

    [Fact]
    public void A_learning_monopolist_ends_within_one_grid_step_of_the_Lerner_price()
    {
        var scenario = Load("monopolist.yaml");
        var segment = scenario.Customers.Segments.Values.Single();
        var learner = scenario.Providers.Single().Pricing.Learner;
        var clock = Stopwatch.StartNew();
        var ticks = TestMarkets.Run(scenario, out _);
        var last = ticks[^1].Providers[0].Tiers[Mid];
        var unitCost = last.UnitCost;
        var lerner = Demand.LernerPrice(unitCost, segment.Elasticity);
        var step = unitCost * (learner.HighMultiple - learner.LowMultiple) / (learner.GridSize - 1);
        for (var t = 0; t < ticks.Count; t += ticks.Count / 10)
        {
            var x = ticks[t].Providers[0].Tiers[Mid];
            output.WriteLine($"tick {t}: greedy {x.LearnerGreedyPrice:F3}, list {x.ListPrice / 1e6:F3}, exploration {x.LearnerExploration:F4}, Q spread {x.LearnerQSpread:F3}");
        }
        output.WriteLine($"{ticks.Count} ticks in {clock.Elapsed.TotalSeconds:F1} s; unit cost {unitCost}, Lerner {lerner}, greedy {last.LearnerGreedyPrice}");
        Assert.Equal(1.0, unitCost, 9);
        Assert.Equal(2.0, lerner, 9);
        Assert.Equal(lerner, last.LearnerGreedyPrice, step + 1e-9);
        // Exploration is over by the end: the last ticks are priced at the greedy price.
        Assert.True(last.LearnerExploration < 0.01, $"exploration {last.LearnerExploration}");
        Assert.All(ticks.TakeLast(100), t => Assert.Equal(last.LearnerGreedyPrice, t.Providers[0].Tiers[Mid].LearnerGreedyPrice, 9));
    }

    /// <summary>value-based prices by the quality advantage over the comparable alternative, the rivals' price index
    /// (docs/MODEL.md 9.5). A monopolist has no alternative to compare with, so the rule falls back to cost-plus at
    /// its markup and never learns from demand: it stays at <c>c * markup</c>, wherever the Lerner price is.</summary>
    [Theory]
    [InlineData(1.5)]
    [InlineData(3.0)]
    public void A_value_based_monopolist_prices_at_its_markup_on_every_tick_not_at_the_Lerner_price(double markup)
    {
        var scenario = Load("monopolist.yaml", "ticks=2000", "providers.monopolist.strategy=value-based",
            $"providers.monopolist.pricing.markup={markup.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var ticks = TestMarkets.Run(scenario, out _);
        var lerner = Demand.LernerPrice(1.0, scenario.Customers.Segments.Values.Single().Elasticity);
        Assert.All(ticks, t =>
        {
            var x = t.Providers[0].Tiers[Mid];
            Assert.Equal(1.0, x.UnitCost, 9);
            Assert.Equal(markup, x.ListPrice / 1e6, 6);
            Assert.True(double.IsNaN(x.LearnerGreedyPrice) && double.IsNaN(x.LearnerExploration) && double.IsNaN(x.LearnerQSpread));
        });
        Assert.NotEqual(lerner, ticks[^1].Providers[0].Tiers[Mid].ListPrice / 1e6, 3);
    }
}

/// <summary>The baseline's runs at its own seed and the validation seeds, made once for <see cref="BaselineLearnerTests"/>.</summary>
public sealed class BaselineLearnerRuns
{
    public static readonly ulong[] Seeds = [42, 1, 2, 3];
    public IReadOnlyList<List<TickObservation>> Runs { get; }
    public int Cloud { get; }
    public MarketSetup Setup { get; }

    public BaselineLearnerRuns()
    {
        Setup = new MarketSetup(Validation.ValidationRuns.Load());
        Cloud = Setup.ProviderIndex("cloud");
        var runs = new List<TickObservation>[Seeds.Length];
        Parallel.For(0, Seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var s = Validation.ValidationRuns.Load();
            s.Seed = Seeds[i];
            runs[i] = TestMarkets.Run(s, out _);
        });
        Runs = runs;
    }
}

/// <summary>The baseline's learning provider, the cloud (adaptive, docs/MODEL.md 9.6): its grid runs from half to one
/// and a half times each model's launch list price; it prices inside it, mostly away from its floor, and each of its
/// learners has settled by the end of the run.</summary>
public sealed class BaselineLearnerTests(BaselineLearnerRuns runs, ITestOutputHelper output) : IClassFixture<BaselineLearnerRuns>
{
    private const int Window = 100;

    /// <summary>The launch list price of the model the cloud serves in a tier at a tick, US$ per million tokens.</summary>
    private double LaunchPrice(int tier, int tick)
    {
        var setup = runs.Setup;
        var models = setup.ModelsOf(runs.Cloud);
        var current = Enumerable.Range(0, models.Count)
            .Where(i => Tiers.IndexOf(models[i].Tier) == tier && setup.ModelLaunchTick(runs.Cloud, i) <= tick)
            .MaxBy(i => setup.ModelLaunchTick(runs.Cloud, i));
        return models[current].ListPrice!.Value;
    }

    [Fact]
    public void The_cloud_s_learners_end_with_a_greedy_price_unchanged_over_the_last_100_ticks()
    {
        for (var i = 0; i < runs.Runs.Count; i++)
        {
            var ticks = runs.Runs[i];
            foreach (var tier in Enumerable.Range(0, Tiers.Count).Where(t => ticks[^1].Providers[runs.Cloud].Tiers[t].Offered))
            {
                var last = ticks[^1].Providers[runs.Cloud].Tiers[tier];
                var launch = LaunchPrice(tier, ticks[^1].Tick);
                output.WriteLine($"seed {BaselineLearnerRuns.Seeds[i]} {Tiers.Names[tier]}: greedy {last.LearnerGreedyPrice:F4} = {last.LearnerGreedyPrice / launch:F3} x launch price {launch}, {last.LearnerGreedyPrice / last.UnitCost:F1} x unit cost; exploration {last.LearnerExploration:F3}, Q spread {last.LearnerQSpread:F3}");
                Assert.InRange(last.LearnerGreedyPrice / launch, 0.5 - 1e-9, 1.5 + 1e-9);
                Assert.All(ticks.TakeLast(Window), t => Assert.Equal(last.LearnerGreedyPrice, t.Providers[runs.Cloud].Tiers[tier].LearnerGreedyPrice, 9));
            }
        }
    }

    [Fact]
    public void The_cloud_prices_at_its_grid_floor_on_few_ticks_after_tick_300()
    {
        for (var i = 0; i < runs.Runs.Count; i++)
        {
            var rows = runs.Runs[i].Skip(300)
                .SelectMany(t => Enumerable.Range(0, Tiers.Count).Where(k => t.Providers[runs.Cloud].Tiers[k].Offered)
                    .Select(k => t.Providers[runs.Cloud].Tiers[k].LearnerGreedyPrice / LaunchPrice(k, t.Tick))).ToList();
            var floor = rows.Count(m => Math.Abs(m - 0.5) < 1e-9);
            output.WriteLine($"seed {BaselineLearnerRuns.Seeds[i]}: greedy at the floor on {floor} of {rows.Count} tier-ticks; rationed ticks {runs.Runs[i].Count(t => t.ServedShare < 0.95)}");
            Assert.True(floor < 0.25 * rows.Count, $"seed {BaselineLearnerRuns.Seeds[i]}: {floor} of {rows.Count}");
        }
    }
}
