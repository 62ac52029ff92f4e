using MarketSim.Model.Scenarios;

namespace MarketSim.Model.Tests.Scenarios;

public sealed class OverrideTests
{
    private static Scenario LoadOk(string file, params string[] overrides)
    {
        var result = ScenarioLoader.Load(Fixtures.File(file), overrides);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Scenario!;
    }

    private static ScenarioProblem SingleProblem(string file, params string[] overrides) =>
        Assert.Single(ScenarioLoader.Load(Fixtures.File(file), overrides).Problems);

    [Fact]
    public void Top_level_scalar() => Assert.Equal(90, LoadOk("minimal.yaml", "ticks=90").Ticks);

    [Fact]
    public void Nested_mapping_key() => Assert.Equal(500, LoadOk("minimal.yaml", "customers.count=500").Customers.Count);

    [Fact]
    public void Dictionary_entry() =>
        Assert.Equal(1.5, LoadOk("minimal.yaml", "customers.segments.nlp.elasticity=1.5").Customers.Segments["nlp"].Elasticity);

    [Fact]
    public void List_element_by_id() =>
        Assert.Equal("undercut", LoadOk("full.yaml", "providers.lab-b.strategy=undercut").Providers[1].Strategy);

    [Fact]
    public void List_elements_by_id_at_two_levels() =>
        Assert.Equal(2.5, LoadOk("full.yaml", "providers.lab-a.models.a-small.listPrice=2.5").Providers[0].Models[1].ListPrice);

    [Fact]
    public void List_element_by_index() =>
        Assert.Equal(0.25, LoadOk("full.yaml", "events.0.fraction=0.25").Events[0].Fraction);

    [Fact]
    public void Provider_by_index() => Assert.Equal("match", LoadOk("full.yaml", "providers.1.strategy=match").Providers[1].Strategy);

    [Fact]
    public void Key_absent_from_the_file_is_created_with_its_parents()
    {
        var s = LoadOk("minimal.yaml", "market.negotiationRounds=8", "providers.lab-a.pricing.learner.gridSize=30");

        Assert.Equal(8, s.Market.NegotiationRounds);
        Assert.Equal(0.08, s.Market.ElectricityPricePerKwh);
        Assert.Equal(30, s.Providers[0].Pricing.Learner.GridSize);
    }

    [Fact]
    public void Values_are_yaml_scalars_so_quotes_keep_strings()
    {
        var s = LoadOk("minimal.yaml", "name=\"90\"", "providers.lab-a.private=true", "start=2024-02-29");

        Assert.Equal("90", s.Name);
        Assert.True(s.Providers[0].Private);
        Assert.Equal(new DateOnly(2024, 2, 29), s.Start);
    }

    [Fact]
    public void Values_may_be_flow_lists_and_mappings()
    {
        var s = LoadOk("minimal.yaml", "providers.lab-a.fleet=[{gpu: A100, count: 5}, {gpu: B200, count: 7}]");

        Assert.Equal([("A100", 5), ("B200", 7)], s.Providers[0].Fleet.Select(f => (f.Gpu, f.Count)));
    }

    [Fact]
    public void Later_overrides_win() => Assert.Equal(20, LoadOk("minimal.yaml", "ticks=10", "ticks=20").Ticks);

    [Fact]
    public void Invalid_value_is_reported_at_the_override()
    {
        var problem = SingleProblem("minimal.yaml", "customers.count=500", "ticks=5000000");

        Assert.Equal((ScenarioProblem.OverrideFile, 2, 7), (problem.File, problem.Line, problem.Column));
        Assert.Equal(("ticks", "must be at most 3000000 (was 5000000)"), (problem.Path, problem.Message));
    }

    [Fact]
    public void Unknown_key_set_by_an_override_is_reported_with_a_suggestion()
    {
        var problem = SingleProblem("minimal.yaml", "providers.lab-a.pricing.markupp=2");

        Assert.Equal((ScenarioProblem.OverrideFile, 1), (problem.File, problem.Line));
        Assert.Equal(("providers[lab-a].pricing.markupp", "unknown key 'markupp'"), (problem.Path, problem.Message));
        Assert.StartsWith("did you mean 'markup'?", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Override_without_equals_sign()
    {
        var problem = SingleProblem("minimal.yaml", "ticks");

        Assert.Equal((ScenarioProblem.OverrideFile, 1, 1), (problem.File, problem.Line, problem.Column));
        Assert.Equal("override 'ticks': no '=' between path and value", problem.Message);
        Assert.Contains("path=value", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_list_element_id_lists_the_known_ids()
    {
        var problem = SingleProblem("full.yaml", "providers.lab-z.strategy=undercut");

        Assert.Equal((ScenarioProblem.OverrideFile, 1, 11, "providers[lab-z].strategy"), (problem.File, problem.Line, problem.Column, problem.Path));
        Assert.Equal("override 'providers.lab-z.strategy=undercut': no element with id 'lab-z' in 'providers'", problem.Message);
        Assert.Equal("known ids: lab-a, lab-b; or an index from 0 to 1", problem.Hint);
    }

    [Fact]
    public void Index_out_of_range()
    {
        var problem = SingleProblem("full.yaml", "events.8.fraction=0.5");

        Assert.Equal("override 'events.8.fraction=0.5': index 8 is out of range in 'events'", problem.Message);
        Assert.Equal("use an index from 0 to 7", problem.Hint);
        Assert.Equal("events[8].fraction", problem.Path);
    }

    [Fact]
    public void Path_through_a_scalar()
    {
        var problem = SingleProblem("minimal.yaml", "name.first=x");

        Assert.Equal("override 'name.first=x': 'name' is a single value, not a mapping or list, so it has no 'first'", problem.Message);
        Assert.Equal((6, "name.first"), (problem.Column, problem.Path));
    }

    [Fact]
    public void Empty_path_segment()
    {
        var problem = SingleProblem("minimal.yaml", "customers..count=5");

        Assert.Equal("override 'customers..count=5': the path has an empty segment", problem.Message);
    }

    [Fact]
    public void Value_that_is_not_yaml()
    {
        var problem = SingleProblem("minimal.yaml", "name=[unclosed");

        Assert.StartsWith("override 'name=[unclosed': the value is not valid YAML", problem.Message, StringComparison.Ordinal);
        Assert.Contains("quote", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_overrides_and_file_problems_are_all_reported()
    {
        var result = ScenarioLoader.Load(Fixtures.Bad("ticks-too-large.yaml"), ["nope", "providers.x.id=y"]);

        Assert.Equal(
            [(Fixtures.Bad("ticks-too-large.yaml"), 4), (ScenarioProblem.OverrideFile, 1), (ScenarioProblem.OverrideFile, 2)],
            result.Problems.Select(p => (p.File, p.Line)));
    }
}

/// <summary>Overrides that address events by id and built-in GPUs the scenario does not list.</summary>
public sealed class OverrideAddressingTests
{
    private static string Base => Path.Combine(Fixtures.Directory, "extends", "base.yaml");

    private static ScenarioLoadResult Load(string path, params string[] overrides) => ScenarioLoader.Load(path, overrides);

    [Fact]
    public void An_event_is_addressed_by_its_id()
    {
        var result = Load(Base, "events.demand-up.factor=2.5", "events.lab-a-cut.days=7");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal((2.5, 7, 0.2), (result.Scenario!.Events[1].Factor!.Value, result.Scenario.Events[0].Days!.Value, result.Scenario.Events[0].Fraction!.Value));
    }

    [Fact]
    public void An_unknown_event_id_names_the_known_ids()
    {
        var problem = Assert.Single(Load(Base, "events.deepseek-cut.fraction=0.5").Problems);

        Assert.Equal("--set:1:8: events[deepseek-cut].fraction: override 'events.deepseek-cut.fraction=0.5': no element with id 'deepseek-cut' in 'events' (fix: known ids: lab-a-cut, demand-up; or an index from 0 to 1)",
            problem.ToString());
    }

    [Fact]
    public void A_built_in_gpu_not_in_the_scenario_is_materialised_then_changed()
    {
        var result = Load(Fixtures.File("minimal.yaml"), "gpus.A100.curve.halfLifeYears=3");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var gpu = Assert.Single(result.Scenario!.Gpus);
        var catalogue = MarketSim.Model.Hardware.GpuCatalogue.Find("A100")!;
        Assert.Equal(("A100", 3.0), (gpu.Id, gpu.Curve.HalfLifeYears));
        Assert.Equal((catalogue.Launch, catalogue.MemoryGb, catalogue.PowerWatts, catalogue.TokensPerSecond, catalogue.Curve.StartPricePerHour, catalogue.Curve.FloorPricePerHour),
            (gpu.Launch, gpu.MemoryGb, gpu.PowerWatts, gpu.TokensPerSecond, gpu.Curve.StartPricePerHour, gpu.Curve.FloorPricePerHour));
    }

    [Fact]
    public void A_built_in_gpu_is_appended_to_the_gpus_the_scenario_lists()
    {
        var result = Load(Fixtures.File("full.yaml"), "gpus.H100.tokensPerSecond=4000");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal(["X1", "T1", "H100"], result.Scenario!.Gpus.Select(g => g.Id));
        Assert.Equal(4000, result.Scenario.Gpus[2].TokensPerSecond);
        Assert.Equal("table", result.Scenario.Gpus[2].Curve.Kind);
    }

    [Fact]
    public void An_unknown_gpu_names_the_scenarios_and_the_built_in_gpus()
    {
        var problem = Assert.Single(Load(Fixtures.File("full.yaml"), "gpus.H1000.curve.halfLifeYears=3").Problems);

        Assert.Equal("--set:1:6: gpus[H1000].curve.halfLifeYears: override 'gpus.H1000.curve.halfLifeYears=3': no GPU 'H1000' in gpus or the built-in catalogue (fix: did you mean 'H100'? known GPUs: A100, B200, H100, H200, T1, X1)",
            problem.ToString());
    }
}
