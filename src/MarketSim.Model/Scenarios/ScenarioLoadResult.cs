namespace MarketSim.Model.Scenarios;

/// <summary>The outcome of loading a scenario: the scenario when it is valid, and every problem found.</summary>
public sealed class ScenarioLoadResult
{
    internal ScenarioLoadResult(Scenario? scenario, IReadOnlyList<ScenarioProblem> problems)
    {
        Scenario = scenario;
        Problems = problems;
    }

    /// <summary>The scenario; null unless <see cref="Ok"/>.</summary>
    public Scenario? Scenario { get; }

    /// <summary>All problems found, ordered by file position.</summary>
    public IReadOnlyList<ScenarioProblem> Problems { get; }

    /// <summary>True when the scenario loaded without any problem.</summary>
    public bool Ok => Scenario is not null && Problems.Count == 0;
}
