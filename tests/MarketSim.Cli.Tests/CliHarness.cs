using System.Globalization;
using System.Text.Json;

namespace MarketSim.Cli.Tests;

/// <summary>Runs the CLI in-process and reads what it wrote.</summary>
internal static class CliHarness
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>A file of the repository (config/scenarios/small.yaml, ...).</summary>
    public static string RepoFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MarketSim.sln"))) return Path.Combine([dir.FullName, .. parts]);
        throw new DirectoryNotFoundException("repository root not found");
    }

    /// <summary>This test process's scratch folder, removed when the process ends.</summary>
    private static readonly Lazy<string> Scratch = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), $"marketsim-cli-tests-{Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        };
        return root;
    });

    public static string TempDirectory()
    {
        var dir = Path.Combine(Scratch.Value, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public static async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await Cli.RunAsync(args, output, error, interactive: false, cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Rows of a CSV file (header excluded) as dictionaries by column name. The files the CLI writes have
    /// no quoted fields for the fixtures' ids.</summary>
    public static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(line =>
        {
            var fields = line.Split(',');
            Assert.Equal(header.Length, fields.Length);
            return header.Zip(fields).ToDictionary(p => p.First, p => p.Second);
        })];
    }

    public static JsonElement ReadJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    public static decimal Dec(string s) => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static long Int(string s) => long.Parse(s, CultureInfo.InvariantCulture);

    public static double Real(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}

public sealed record CliResult(int ExitCode, string Out, string Err);
