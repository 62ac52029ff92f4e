namespace MarketSim.Model.Scenarios;

/// <summary>The bounds within which scenario and experiment files are read. Each is checked before or while the
/// input is read, never after, so that a hostile file (huge, endless, an alias bomb, deeply nested) is refused at
/// once with a located problem.</summary>
public static class ScenarioLimits
{
    /// <summary>Largest file read: 4 MiB. The shipped scenarios are about 25 KiB.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Most YAML nodes a file may expand to, aliases counted at every use (an alias bomb stops here); the
    /// baseline has about 1,500.</summary>
    public const int MaxNodes = 50_000;

    /// <summary>Deepest nesting of mappings and lists; a scenario is about 7 levels deep.</summary>
    public const int MaxDepth = 32;

    /// <summary>Longest chain of <c>extends:</c> files.</summary>
    public const int MaxExtendsDepth = 16;

    /// <summary>Longest name (scenario, experiment, variant) in characters.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Earliest date a scenario may name.</summary>
    public static readonly DateOnly FirstDate = new(1900, 1, 1);

    /// <summary>Latest date a scenario may name; a run's horizon must end by 9999-12-31 as well
    /// (<see cref="RunBudget.CalendarProblem"/>).</summary>
    public static readonly DateOnly LastDate = new(2999, 12, 31);
}
