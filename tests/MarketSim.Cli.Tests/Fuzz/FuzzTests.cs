using System.Diagnostics;
using System.Text.RegularExpressions;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests.Fuzz;

/// <summary>Hostile input to <c>marketsim validate</c>: a few hundred mutated scenario and experiment files run in
/// the process, and the odd files (an alias bomb, a 50 MB file, /dev/zero, a FIFO, a folder) run as real processes
/// with a heap limit. Every input must exit 0 or 2 within its time, never show an exception, and every problem line
/// must be located (file:line:column). scripts/fuzz.sh runs the same kinds of input at a larger size.</summary>
public sealed partial class FuzzTests
{
    private const int Inputs = 300;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Mutated_scenarios_and_experiments_exit_0_or_2_with_located_problems()
    {
        var root = TempDirectory();
        var defects = new List<string>();
        var exits = new Dictionary<int, int>();
        var slowest = TimeSpan.Zero;
        foreach (var path in new FuzzInputs(root, seed: 20261202).Write(Inputs))
        {
            var clock = Stopwatch.StartNew();
            var result = await RunAsync(["validate", path], CancellationToken.None).WaitAsync(Limit);
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            exits[result.ExitCode] = exits.GetValueOrDefault(result.ExitCode) + 1;
            defects.AddRange(Defects(result).Select(d => $"{Path.GetFileName(path)}: {d}"));
        }

        Assert.True(defects.Count == 0, string.Join("\n", defects));
        Assert.Equal(Inputs, exits.GetValueOrDefault(0) + exits.GetValueOrDefault(2));
        Assert.True(exits.GetValueOrDefault(2) > Inputs / 2, $"exit 2 for {exits.GetValueOrDefault(2)} of {Inputs}");
        Assert.True(exits.GetValueOrDefault(0) > 0, "no mutation left a valid file");
        Assert.True(slowest < Limit, $"slowest input took {slowest}");
    }

    /// <summary>Writes the corpus scripts/fuzz.sh runs: MARKETSIM_FUZZ_COUNT files into MARKETSIM_FUZZ_DIR (by
    /// default 20 into a scratch folder), each a scenario in scenarios/ or an experiment in experiments/.</summary>
    [Fact]
    public void The_corpus_is_written_for_the_fuzz_script()
    {
        var dir = Environment.GetEnvironmentVariable("MARKETSIM_FUZZ_DIR") is { Length: > 0 } d ? d : TempDirectory();
        var count = int.TryParse(Environment.GetEnvironmentVariable("MARKETSIM_FUZZ_COUNT"), out var n) ? n : 20;

        var files = new FuzzInputs(dir, seed: 1).Write(count).ToList();

        Assert.Equal(count, files.Count);
        Assert.All(files, f => Assert.True(File.Exists(f), f));
        Assert.Equal(count / 4, files.Count(f => f.Contains($"{Path.DirectorySeparatorChar}experiments{Path.DirectorySeparatorChar}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_alias_bomb_of_500_bytes_is_refused_within_a_second_at_its_position()
    {
        var path = Path.Combine(TempDirectory(), "bomb.yaml");
        File.WriteAllText(path, "name: bomb\na: &a [1,1,1,1,1,1,1,1,1,1]\n"
            + string.Concat(Enumerable.Range(1, 9).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(",", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 10))}]\n")));
        Assert.InRange(new FileInfo(path).Length, 300, 600);

        Assert.Equal(0, (await RunAsync("validate", Fixture("tiny.yaml"))).ExitCode); // start-up and first-call compilation
        var clock = Stopwatch.StartNew();
        var result = await RunAsync("validate", path);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal(2, result.ExitCode);
        Assert.Matches($@"{Regex.Escape(path)}:\d+:\d+: [a-j](\[\d+\])+: more than 50,000 values once aliases are expanded", result.Out);
        Assert.Empty(Defects(result));
    }

    [Fact]
    public async Task A_deeply_nested_file_is_refused_before_its_tree_is_built()
    {
        var path = Path.Combine(TempDirectory(), "deep.yaml");
        File.WriteAllText(path, "name: deep\nx: " + new string('[', 100_000) + new string(']', 100_000) + "\n");

        var result = await RunAsync("validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{path}:2:35: nesting deeper than 32 levels (fix: a scenario is about 7 levels deep: check the brackets and the indentation)\n", result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_grid_of_a_million_variants_is_refused_before_it_is_built()
    {
        var dir = TempDirectory();
        File.Copy(Fixture("tiny.yaml"), Path.Combine(dir, "tiny.yaml"));
        var path = Path.Combine(dir, "grid.yaml");
        File.WriteAllText(path, "scenario: tiny.yaml\ngrid:\n  ticks: [" + string.Join(", ", Enumerable.Range(1, 1000)) + "]\n  seed: [" + string.Join(", ", Enumerable.Range(1, 1000)) + "]\n");

        var clock = Stopwatch.StartNew();
        var result = await RunAsync("validate", path);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{path}:3:3: grid: the grid makes 1,000,000 variants (with 0 listed); at most 500 variants are supported (fix: use fewer values in the grid, or split the experiment)\n",
            result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_long_variant_name_is_refused_with_the_maximum()
    {
        var dir = TempDirectory();
        File.Copy(Fixture("tiny.yaml"), Path.Combine(dir, "tiny.yaml"));
        var path = Path.Combine(dir, "long.yaml");
        File.WriteAllText(path, $"scenario: tiny.yaml\nvariants:\n  - name: {new string('v', 5000)}\n");

        var result = await RunAsync("validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{path}:3:11: variants[0].name: must be at most 100 characters long (is 5000) (fix: shorten it)\n", result.Out.ReplaceLineEndings("\n"));
    }

    public static TheoryData<string> OddFiles => new() { "50 MB file", "/dev/zero", "FIFO", "folder" };

    [Theory]
    [MemberData(nameof(OddFiles))]
    public async Task Odd_files_are_refused_at_once_by_the_real_process(string kind)
    {
        var dir = TempDirectory();
        var path = kind switch
        {
            "/dev/zero" => "/dev/zero",
            "folder" => dir,
            _ => Path.Combine(dir, "odd.yaml"),
        };
        if (kind == "50 MB file")
        {
            using var file = File.Create(path);
            file.SetLength(50L * 1024 * 1024);
        }
        if (kind == "FIFO")
        {
            using var mkfifo = Process.Start("mkfifo", [path])!;
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var (code, output, elapsed) = await RunProcessAsync(path);

        Assert.Equal(2, code);
        var expected = kind switch
        {
            "50 MB file" => "the file is larger than 4 MiB (52,428,800 bytes or more)",
            "folder" => "is a folder, not a file",
            _ => "not a regular file (a device, pipe or socket)",
        };
        Assert.StartsWith($"{path}:0:0: {expected} (fix: ", output, StringComparison.Ordinal);
        Assert.True(elapsed < Limit, $"took {elapsed}");
    }

    /// <summary>Runs the built command line as a process with its heap capped at 500 MB.</summary>
    private static async Task<(int Code, string Output, TimeSpan Elapsed)> RunProcessAsync(string path)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "marketsim.dll"), "validate", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x1F400000";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output + await error, clock.Elapsed);
    }

    /// <summary>What is wrong with an outcome: an exit code other than 0 or 2, an exception or stack trace, a problem
    /// line without file:line:column, or a located problem inside a value without a path.</summary>
    internal static IEnumerable<string> Defects(CliResult result)
    {
        if (result.ExitCode is not (0 or 2)) yield return $"exit {result.ExitCode}: {result.Err}{result.Out}";
        var all = result.Out + result.Err;
        if (all.Contains("Exception", StringComparison.Ordinal) || StackFrame().IsMatch(all)) yield return $"exception: {all}";
        if (all.ReplaceLineEndings("\n").Any(c => char.IsControl(c) && c != '\n')) yield return $"control character in output: {MarketSim.Model.Scenarios.ScenarioProblem.Printable(all)}";
        if (result.ExitCode != 2) yield break;
        foreach (var line in result.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Located().Match(line);
            if (!match.Success) yield return $"not located: {line}";
            else if (match.Groups["line"].Value != "0" && !WholeFile().IsMatch(match.Groups["rest"].Value) && !HasPath().IsMatch(match.Groups["rest"].Value))
                yield return $"no path: {line}";
        }
    }

    [GeneratedRegex(@"^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"^(?<file>.+?):(?<line>\d+):(?<column>\d+): (?<rest>.+)$")]
    private static partial Regex Located();

    /// <summary>A path (any text, keys may hold spaces) then ': ' before the message's "(fix: ".</summary>
    [GeneratedRegex(@"^(?:(?!\(fix: ).)+?: ")]
    private static partial Regex HasPath();

    /// <summary>Problems of the file as a whole, which no field path names.</summary>
    [GeneratedRegex(@"^(YAML syntax error|duplicate key|the file is empty|the file holds \d+ YAML documents|nesting deeper than|more than [\d,]+ values in the file|the file is not UTF-8|a key must be a plain name)")]
    private static partial Regex WholeFile();
}
