namespace MarketSim.Integration.Tests;

/// <summary>Paths in the repository, found from the test's working directory.</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MarketSim.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("cannot find the repository root (MarketSim.sln) above " + AppContext.BaseDirectory);
        }
    }

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
