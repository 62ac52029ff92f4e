using MarketSim.Model.Scenarios;

namespace MarketSim.Model.Tests.Scenarios;

/// <summary>model-release and model-retirement events as the loader reads them.</summary>
public sealed class ModelLifecycleTests
{
    private static string Good(string name) => Path.Combine(Fixtures.Directory, "good", name);

    [Fact]
    public void Releases_and_retirements_load_with_their_models()
    {
        var result = ScenarioLoader.Load(Good("model-lifecycle.yaml"));

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var s = result.Scenario!;
        Assert.Equal(1.2, s.Providers[0].Models[0].Efficiency);
        var release = s.Events[0].Release!;
        Assert.Equal(("model-release", "lab-a", "a-mid", "mid", 40.0, 0.75, 2.0, 1.5),
            (s.Events[0].Kind, s.Events[0].Provider, release.Id, release.Tier, release.ParametersB, release.Quality, release.ListPrice!.Value, release.Efficiency));
        Assert.Equal(("lab-c", "c-2", "small", 1.0), (s.Events[2].Provider, s.Events[2].Release!.Id, s.Events[2].Release!.Tier, s.Events[2].Release!.Efficiency));
        Assert.Equal(("model-retirement", "lab-a", "a-frontier"), (s.Events[3].Kind, s.Events[3].Provider, s.Events[3].Model));
    }

    [Fact]
    public void Efficiency_defaults_to_one()
    {
        var result = ScenarioLoader.Load(Fixtures.File("minimal.yaml"));

        Assert.Equal(1.0, result.Scenario!.Providers[0].Models[0].Efficiency);
    }

    [Fact]
    public void A_release_round_trips_through_the_writer()
    {
        var scenario = ScenarioLoader.Load(Good("model-lifecycle.yaml")).Scenario!;

        var again = ScenarioLoader.LoadFromText(ScenarioWriter.ToYaml(scenario), "resolved.yaml");

        Assert.True(again.Ok, string.Join("\n", again.Problems));
        Assert.Equal(ScenarioJson.Serialize(scenario), ScenarioJson.Serialize(again.Scenario!));
    }

    [Fact]
    public void The_engine_enum_names_the_new_kinds()
    {
        Assert.Equal("model-release", MarketSim.Model.Engine.MarketEvent.KindName(MarketSim.Model.Engine.EventKind.ModelRelease));
        Assert.Equal(MarketSim.Model.Engine.EventKind.ModelRetirement, MarketSim.Model.Engine.MarketEvent.ParseKind("model-retirement"));
    }
}
