using System.Diagnostics;

namespace MarketSim.Cli.Tests.Experiments;

/// <summary>The example scripts (examples/*.cs, .NET 10 file-based programs) run on a short horizon and exit 0. The
/// first build of a script takes a while; later runs reuse it.</summary>
public sealed class ExampleScriptTests
{
    [Theory]
    [InlineData("price-war.cs", "Conclusion: the war")]
    [InlineData("gpu-glut.cs", "Conclusion: with the glut")]
    [InlineData("compression-breakthrough.cs", "Conclusion:")]
    public async Task Example_runs_on_a_short_horizon_and_prints_its_conclusion(string script, string conclusion)
    {
        var root = RepoRoot();
        var start = new ProcessStartInfo("dotnet", ["run", Path.Combine("examples", script), "--", "--ticks", "20", "--seeds", "2"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var text = await output;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{text}\n{await error}");
        Assert.Contains(conclusion, text);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "examples")) && File.Exists(Path.Combine(dir.FullName, "MarketSim.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository root (with examples/) was not found above the test binaries");
    }
}
