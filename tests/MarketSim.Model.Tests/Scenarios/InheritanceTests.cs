using System.Text.Json;
using System.Text.Json.Nodes;
using MarketSim.Model.Scenarios;

namespace MarketSim.Model.Tests.Scenarios;

/// <summary><c>extends:</c>: deep merge of a parent scenario, positions of problems in the file a value came from,
/// and the shipped scenarios written as differences from the baseline.</summary>
public sealed class InheritanceTests
{
    private static string Extends(string name) => Path.Combine(Fixtures.Directory, "extends", name);

    private static Scenario LoadOk(string path, params string[] overrides)
    {
        var result = ScenarioLoader.Load(path, overrides);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Scenario!;
    }

    [Fact]
    public void Child_values_override_and_lists_with_ids_merge_by_id()
    {
        var s = LoadOk(Extends("child.yaml"));

        Assert.Equal(("child", 50, new DateOnly(2024, 1, 1), 500), (s.Name, s.Ticks, s.Start, s.Customers.Count));
        Assert.Equal(["lab-a", "lab-b", "lab-c"], s.Providers.Select(p => p.Id));
        var a = s.Providers[0];
        Assert.Equal(("undercut", 1000000.0), (a.Strategy, a.Cash));
        Assert.Equal(["B200:10"], a.Fleet.Select(f => $"{f.Gpu}:{f.Count}"));
        Assert.Equal(["a-frontier:frontier:0.9", "a-mid:mid:0.75", "a-small:small:0.8"], a.Models.Select(m => $"{m.Id}:{m.Tier}:{m.Quality}"));
        Assert.Equal((0.5, 2.0, 1.2), (s.Customers.Segments["voice"].Share, s.Customers.Segments["voice"].Elasticity, s.Customers.Segments["nlp"].Elasticity));
        Assert.Equal(["lab-a-cut:price-cut:0.4", "demand-up:demand-shock:", "lab-c-exit:provider-exit:"],
            s.Events.Select(e => $"{e.Id}:{e.Kind}:{e.Fraction}"));
        Assert.Equal(10, s.Events[0].Tick);
    }

    [Fact]
    public void Chains_merge_every_level()
    {
        var s = LoadOk(Extends("grandchild.yaml"));

        Assert.Equal(("grandchild", 50, 900, 3), (s.Name, s.Ticks, s.Customers.Count, s.Providers.Count));
        Assert.Equal("undercut", s.Providers[0].Strategy);
    }

    [Fact]
    public void A_list_without_ids_replaces_the_parents()
    {
        var s = LoadOk(Extends("replace-events.yaml"));

        var e = Assert.Single(s.Events);
        Assert.Equal(("demand-shock", 5, 0.5), (e.Kind, e.Tick, e.Factor));
    }

    [Fact]
    public void Overrides_apply_to_the_merged_scenario()
    {
        var s = LoadOk(Extends("child.yaml"), "providers.lab-b.cash=7", "events.demand-up.factor=3");

        Assert.Equal((7.0, 3.0), (s.Providers[1].Cash, s.Events[1].Factor));
    }

    [Fact]
    public void An_override_cannot_set_extends()
    {
        var problem = Assert.Single(ScenarioLoader.Load(Extends("child.yaml"), ["extends=grandchild.yaml"]).Problems);

        Assert.Equal("--set:1:1: extends: an override cannot change 'extends' (fix: set the values themselves, or write a scenario file that extends another)", problem.ToString());
    }

    [Fact]
    public void The_writer_writes_the_merged_scenario_without_extends()
    {
        var s = LoadOk(Extends("child.yaml"));

        var yaml = ScenarioWriter.ToYaml(s);
        var again = ScenarioLoader.LoadFromText(yaml, "resolved.yaml");

        Assert.DoesNotContain("extends", yaml, StringComparison.Ordinal);
        Assert.True(again.Ok, string.Join("\n", again.Problems));
        Assert.Equal(ScenarioJson.Serialize(s), ScenarioJson.Serialize(again.Scenario!));
    }

    [Fact]
    public void A_problem_in_a_parent_value_points_into_the_parent_and_one_in_the_child_into_the_child()
    {
        var problems = ScenarioLoader.Load(Extends("child-of-bad.yaml")).Problems;

        Assert.Equal(2, problems.Count);
        var cash = Assert.Single(problems, p => p.Path == "providers[lab-a].cash");
        Assert.Equal((Extends("bad-parent.yaml"), 5, 11, "expected a number, got the string 'lots'"), (cash.File, cash.Line, cash.Column, cash.Message));
        var pue = Assert.Single(problems, p => p.Path == "providers[lab-a].pue");
        Assert.Equal((Extends("child-of-bad.yaml"), 6, 10, "must be at most 3 (was 9)"), (pue.File, pue.Line, pue.Column, pue.Message));
    }

    [Fact]
    public void A_cycle_is_reported_at_the_extends_that_closes_it()
    {
        var problem = Assert.Single(ScenarioLoader.Load(Extends("cycle-a.yaml")).Problems);

        Assert.Equal($"{Extends("cycle-b.yaml")}:1:10: extends: 'cycle-a.yaml' extends itself through the chain cycle-a.yaml -> cycle-b.yaml -> cycle-a.yaml (fix: remove 'extends:' from one of the files to break the cycle)",
            problem.ToString());
    }

    [Fact]
    public void A_missing_parent_is_reported_at_the_extends_line()
    {
        var problem = Assert.Single(ScenarioLoader.Load(Extends("missing-parent.yaml")).Problems);

        Assert.Equal((Extends("missing-parent.yaml"), 3, 10, "extends"), (problem.File, problem.Line, problem.Column, problem.Path));
        Assert.StartsWith("parent 'no-such-base.yaml': file not found (looked for ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_in_the_parent_is_reported_in_the_parent()
    {
        var problem = Assert.Single(ScenarioLoader.Load(Extends("child-of-broken.yaml")).Problems);

        Assert.Equal((Extends("broken-parent.yaml"), 3, 1), (problem.File, problem.Line, problem.Column));
        Assert.StartsWith("YAML syntax error", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extends_must_be_a_file_name()
    {
        var problem = Assert.Single(ScenarioLoader.Load(Extends("extends-not-a-string.yaml")).Problems);

        Assert.Equal("extends-not-a-string.yaml:1:10: extends: expected the file name of the parent scenario (fix: write e.g. extends: baseline.yaml (relative to this file))",
            problem.ToString().Replace(Extends("").TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, ""));
    }

    public static TheoryData<string, string[]> Shipped => new()
    {
        { "price-war.yaml", ["war-leader-signal", "war-leader-undercuts", "war-b-follows", "war-cloud-follows"] },
        { "gpu-glut.yaml", ["glut-h100", "glut-h200", "glut-b200"] },
        { "compression-breakthrough.yaml", ["breakthrough"] },
        { "low-cost-entrant.yaml", ["entrant-arrives"] },
        { "china-price-war.yaml", ["leader-cut"] },
    };

    /// <summary>A shipped what-if, written as its differences from baseline.yaml, resolves to the baseline's market
    /// (providers, customers, hardware, settings) with its own horizon and the baseline's events followed by its own.</summary>
    [Theory]
    [MemberData(nameof(Shipped))]
    public void Shipped_what_if_is_the_baseline_with_its_differences(string file, string[] ownEventIds)
    {
        var now = LoadOk(Path.Combine(Fixtures.RepositoryRoot, "config", "scenarios", file));
        var baseline = LoadOk(Path.Combine(Fixtures.RepositoryRoot, "config", "scenarios", "baseline.yaml"));

        Assert.Equal(baseline.Events.Select(e => e.Id).Concat(ownEventIds), now.Events.Select(e => e.Id));
        Assert.NotEqual(baseline.Name, now.Name);
        var market = (Scenario s) => ScenarioJson.Serialize(new Scenario
        {
            Start = s.Start, TickDays = s.TickDays, Seed = s.Seed, Market = s.Market, Gpus = s.Gpus, Providers = s.Providers,
            Customers = s.Customers, Engine = s.Engine,
        });
        Assert.Equal(market(baseline), market(now));
    }
}
