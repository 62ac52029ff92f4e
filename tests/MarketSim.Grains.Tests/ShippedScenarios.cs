namespace MarketSim.Grains.Tests;

/// <summary>The scenarios shipped in config/scenarios, found from the test's working directory.</summary>
public static class ShippedScenarios
{
    public static string Directory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MarketSim.sln")))
                    return Path.Combine(dir.FullName, "config", "scenarios");
            throw new DirectoryNotFoundException("cannot find the repository root (MarketSim.sln) above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Loads a shipped scenario, optionally with a shorter horizon.</summary>
    public static Scenario Load(string name, int ticks = 0)
    {
        var overrides = ticks > 0 ? new[] { $"ticks={ticks}" } : [];
        var result = ScenarioLoader.Load(Path.Combine(Directory, name + ".yaml"), overrides);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Scenario!;
    }
}
