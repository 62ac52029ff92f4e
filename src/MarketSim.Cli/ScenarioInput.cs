using MarketSim.Model.Engine;

namespace MarketSim.Cli;

/// <summary>Loads a scenario file with overrides for a command, turning every problem into a
/// <see cref="UsageException"/> that lists them all.</summary>
public static class ScenarioInput
{
    /// <summary>Loads and validates; returns every problem (empty when the scenario is good).</summary>
    public static (Scenario? Scenario, IReadOnlyList<string> Problems) Check(string path, IReadOnlyList<string> overrides)
    {
        var result = ScenarioLoader.Load(path, overrides);
        if (!result.Ok || result.Scenario is null)
        {
            IReadOnlyList<string> problems = [.. result.Problems.Select(p => p.ToString())];
            return (null, problems.Count > 0 ? problems : [$"{path}: the scenario could not be loaded"]);
        }
        try
        {
            // Compiling the scenario resolves its references (providers, models and GPUs named by events).
            _ = new MarketSetup(result.Scenario);
        }
        catch (ArgumentException e)
        {
            return (null, [new ScenarioProblem(path, 0, 0, "", e.Message, "check the events' references").ToString()]);
        }
        return (result.Scenario, []);
    }

    /// <summary>Loads and validates, or throws a <see cref="UsageException"/> listing every problem.</summary>
    public static Scenario Load(string path, IReadOnlyList<string> overrides)
    {
        var (scenario, problems) = Check(path, overrides);
        if (scenario is not null) return scenario;
        var hint = problems.Count == 1 ? "" : $"\n{problems.Count} problems; nothing was run";
        throw new UsageException(string.Join('\n', problems) + hint);
    }
}
