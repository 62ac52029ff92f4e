namespace MarketSim.Model.Tests.Scenarios;

/// <summary>Events and entries after the horizon are kept but never happen, so that a run shortened with
/// --ticks needs no edit of its scenario.</summary>
public sealed class HorizonTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "scenarios", "good", name);

    [Fact]
    public void An_event_after_the_horizon_loads_and_never_fires()
    {
        var result = ScenarioLoader.Load(Fixture("event-after-horizon.yaml"));
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Single(result.Scenario!.Events);
        var engine = new ReferenceEngine(new MarketSetup(result.Scenario));
        TickObservation? last = null;
        while (!engine.Finished) last = engine.Step();
        Assert.Equal(0, last!.Exits);
        Assert.True(last.Providers[0].Total.Active);
    }

    [Fact]
    public void A_provider_entering_after_the_horizon_loads_and_never_enters()
    {
        var result = ScenarioLoader.Load(Fixture("enters-after-horizon.yaml"));
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var setup = new MarketSetup(result.Scenario!);
        Assert.True(setup.EntryTick[setup.ProviderIndex("late")] >= setup.Ticks);
    }

    [Fact]
    public void Shortening_a_shipped_scenario_with_a_ticks_override_needs_no_other_change()
    {
        var path = Path.Combine(RepositoryRoot(), "config", "scenarios", "price-war.yaml");
        var result = ScenarioLoader.Load(path, ["ticks=30"]);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal(30, result.Scenario!.Ticks);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MarketSim.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root not found");
    }
}
