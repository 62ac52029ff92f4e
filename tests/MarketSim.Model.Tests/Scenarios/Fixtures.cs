namespace MarketSim.Model.Tests.Scenarios;

/// <summary>Paths of the scenario fixtures copied to the test output folder.</summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "scenarios");

    public static string BadDirectory => Path.Combine(Directory, "bad");

    public static string File(string name) => Path.Combine(Directory, name);

    public static string Bad(string name) => Path.Combine(BadDirectory, name);

    public static string Text(string name) => System.IO.File.ReadAllText(File(name));

    /// <summary>The repository root, found by walking up from the test output folder.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "config", "schema", "scenario.schema.json")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
        }
    }
}
