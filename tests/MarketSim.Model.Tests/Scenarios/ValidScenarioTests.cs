using MarketSim.Model.Scenarios;

namespace MarketSim.Model.Tests.Scenarios;

public sealed class ValidScenarioTests
{
    private static Scenario LoadOk(string file)
    {
        var result = ScenarioLoader.Load(Fixtures.File(file));
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Scenario!;
    }

    [Fact]
    public void Minimal_scenario_takes_the_documented_defaults()
    {
        var s = LoadOk("minimal.yaml");

        Assert.Equal("minimal", s.Name);
        Assert.Null(s.Description);
        Assert.Equal(new DateOnly(2023, 3, 1), s.Start);
        Assert.Equal(365, s.Ticks);
        Assert.Equal(1, s.TickDays);
        Assert.Equal(1UL, s.Seed);
        Assert.Equal(0.08, s.Market.ElectricityPricePerKwh);
        Assert.Equal(3, s.Market.InputOutputBlend);
        Assert.Equal(4, s.Market.NegotiationRounds);
        Assert.Equal(3, s.Market.ConsiderationSetSize);
        Assert.Equal(14, s.Market.SpotReviewDays);
        Assert.Empty(s.Gpus);
        Assert.Empty(s.Events);
        Assert.Equal(8192, s.Engine.BlockSize);
        Assert.Equal(1000, s.Customers.Count);
    }

    [Fact]
    public void Minimal_provider_model_and_segment_take_the_documented_defaults()
    {
        var s = LoadOk("minimal.yaml");

        var provider = Assert.Single(s.Providers);
        Assert.Equal("lab-a", provider.Id);
        Assert.Equal("cost-plus", provider.Strategy);
        Assert.Equal(1.05, provider.MinMargin);
        Assert.Equal(1e9, provider.Cash);
        Assert.Null(provider.Enters);
        Assert.False(provider.Private);
        Assert.Equal(1.3, provider.Pue);
        Assert.Equal(0.8, provider.ReservedShare);
        Assert.Equal(1.5, provider.Pricing.Markup);
        Assert.Equal(15, provider.Pricing.Learner.GridSize);
        Assert.Equal(0.95, provider.Pricing.Learner.Discount);
        Assert.Equal(90, provider.Expansion.LeadTimeDays);
        Assert.Equal(0, provider.Funding.Rounds);
        var fleet = Assert.Single(provider.Fleet);
        Assert.Equal(("H100", 100), (fleet.Gpu, fleet.Count));
        var model = Assert.Single(provider.Models);
        Assert.Equal("a-mid", model.Id);
        Assert.Equal("mid", model.Tier);
        Assert.Equal(70, model.ParametersB);
        Assert.Equal(0.8, model.Quality);
        Assert.Equal(2, model.Compression.Ratio);
        Assert.Equal((1, 1.0), (model.Parallelism.Gpus, model.Parallelism.Eta));
        Assert.Null(model.ListPrice);
        var nlp = Assert.Single(s.Customers.Segments);
        Assert.Equal("nlp", nlp.Key);
        Assert.Equal(1, nlp.Value.Share);
        Assert.Equal(1.2, nlp.Value.Elasticity);
        Assert.Equal(10, nlp.Value.ReferencePrice);
        Assert.Equal(0.3, nlp.Value.InitialAdoption);
    }

    [Fact]
    public void Full_scenario_reads_every_section()
    {
        var s = LoadOk("full.yaml");

        Assert.Equal(ulong.MaxValue, s.Seed);
        Assert.Equal(new DateOnly(2024, 5, 1), s.Start);
        Assert.Equal(6, s.Market.NegotiationRounds);
        Assert.Equal(["X1", "T1"], s.Gpus.Select(g => g.Id));
        Assert.Equal("wright", s.Gpus[0].Curve.Kind);
        Assert.Equal(0.25, s.Gpus[0].Curve.LearningRate);
        Assert.Equal(new DateOnly(2024, 10, 1), s.Gpus[1].Curve.Points[1].Date);
        Assert.Equal(1.95, s.Gpus[1].Curve.Points[1].Price);
        var a = s.Providers[0];
        Assert.Equal(("value-based", 5e9, true), (a.Strategy, a.Cash, a.Private));
        Assert.Equal(0.02, a.Pricing.Learner.ExplorationDecay);
        Assert.Equal(1e8, a.Funding.WhenCashBelow);
        Assert.Equal((8, 3.0), (a.Models[0].Parallelism.Gpus, a.Models[0].Parallelism.Eta));
        Assert.Equal(30, a.Models[0].ListPrice);
        Assert.Equal(new DateOnly(2024, 8, 1), s.Providers[1].Enters);
        Assert.Equal(["voice", "nlp", "healthcare", "longtail"], s.Customers.Segments.Keys);
        Assert.Equal(0.02, s.Customers.Segments["voice"].AdoptionSteepness);
        Assert.Equal(8, s.Events.Count);
        Assert.Equal(new DateOnly(2024, 6, 1), s.Events[0].At);
        Assert.Equal(30, s.Events[0].Days);
        Assert.Equal("Y2", s.Events[2].NewGpu!.Id);
        Assert.Equal("lab-c", s.Events[4].Entrant!.Id);
        Assert.Equal(0.4, s.Events[5].Pricing!.PenetrationFactor);
        Assert.Equal(4096, s.Engine.BlockSize);
    }

    [Theory]
    [InlineData("cash: 1e9", 1e9)]
    [InlineData("cash: 2.5E+3", 2500)]
    [InlineData("cash: 1_000_000", 1_000_000)]
    [InlineData("cash: 0x10", 16)]
    [InlineData("cash: 500", 500)]
    public void Plain_numbers_become_numbers(string line, double expected)
    {
        var result = ScenarioLoader.LoadFromText(MinimalWithProviderLine(line), "inline.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal(expected, result.Scenario!.Providers[0].Cash);
    }

    [Theory]
    [InlineData("private: true", true)]
    [InlineData("private: False", false)]
    public void Plain_booleans_become_booleans(string line, bool expected)
    {
        var result = ScenarioLoader.LoadFromText(MinimalWithProviderLine(line), "inline.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal(expected, result.Scenario!.Providers[0].Private);
    }

    [Theory]
    [InlineData("name: \"1e9\"", "1e9")]
    [InlineData("name: 'true'", "true")]
    [InlineData("name: '0.5'", "0.5")]
    [InlineData("name: !!str 42", "42")]
    [InlineData("name: 2024-05-01", "2024-05-01")]
    public void Quoted_scalars_stay_strings(string line, string expected)
    {
        var yaml = Fixtures.Text("minimal.yaml").Replace("name: minimal", line, StringComparison.Ordinal);

        var result = ScenarioLoader.LoadFromText(yaml, "inline.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal(expected, result.Scenario!.Name);
    }

    [Fact]
    public void Plain_number_where_a_string_is_expected_is_reported_with_a_quoting_hint()
    {
        var yaml = Fixtures.Text("minimal.yaml").Replace("name: minimal", "name: 42", StringComparison.Ordinal);

        var problem = Assert.Single(ScenarioLoader.LoadFromText(yaml, "inline.yaml").Problems);

        Assert.Equal(("name", 3, "expected a string, got the number 42"), (problem.Path, problem.Line, problem.Message));
        Assert.Contains("quotes", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Built_in_gpu_ids_can_be_replaced_per_load()
    {
        var yaml = Fixtures.Text("minimal.yaml");

        var withCatalogue = ScenarioLoader.LoadFromText(yaml, "inline.yaml", builtInGpuIds: new HashSet<string> { "Z9" });
        var withDefault = ScenarioLoader.LoadFromText(yaml, "inline.yaml");

        Assert.Equal("unknown GPU 'H100'", Assert.Single(withCatalogue.Problems).Message);
        Assert.True(withDefault.Ok);
        Assert.Equal(["A100", "B200", "H100", "H200"], ScenarioLoader.BuiltInGpuIds.Order());
    }

    [Fact]
    public void Gpus_declared_in_the_scenario_or_by_events_can_be_used_in_fleets()
    {
        var yaml = Fixtures.Text("full.yaml").Replace("- gpu: X1", "- gpu: Y2", StringComparison.Ordinal);

        var result = ScenarioLoader.LoadFromText(yaml, "inline.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal("Y2", result.Scenario!.Providers[0].Fleet[1].Gpu);
    }

    [Fact]
    public void Missing_file_is_a_problem_not_an_exception()
    {
        var path = Path.Combine(Fixtures.Directory, "does-not-exist.yaml");

        var result = ScenarioLoader.Load(path);

        var problem = Assert.Single(result.Problems);
        Assert.Equal((path, "file not found"), (problem.File, problem.Message));
        Assert.False(result.Ok);
    }

    [Fact]
    public void Several_documents_in_one_file_are_reported()
    {
        var yaml = Fixtures.Text("minimal.yaml") + "---\nname: second\n";

        var problem = Assert.Single(ScenarioLoader.LoadFromText(yaml, "two.yaml").Problems);

        Assert.Equal((16, "the file holds 2 YAML documents"), (problem.Line, problem.Message));
    }

    [Fact]
    public void Problem_formats_as_file_line_column_path_message_and_hint()
    {
        var problem = new ScenarioProblem("s.yaml", 3, 8, "ticks", "must be at most 3650 (was 5000)", "3650 is the supported maximum");
        var fileProblem = new ScenarioProblem("s.yaml", 1, 1, "", "the file is empty", "write something");

        Assert.Equal("s.yaml:3:8: ticks: must be at most 3650 (was 5000) (fix: 3650 is the supported maximum)", problem.ToString());
        Assert.Equal("s.yaml:1:1: the file is empty (fix: write something)", fileProblem.ToString());
    }

    private static string MinimalWithProviderLine(string line) =>
        Fixtures.Text("minimal.yaml").Replace("  - id: lab-a\n", $"  - id: lab-a\n    {line}\n", StringComparison.Ordinal);
}
