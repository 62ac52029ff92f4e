using System.Text.Json;

namespace MarketSim.Cli.Output;

/// <summary>
/// A run's output folder belongs to one run. A run starts only in a folder that does not exist or is empty, in the
/// folder of the same run when it resumes it (<c>--run-id</c> of the run recorded in <see cref="RunJson"/>), or with
/// <c>--force</c>, which empties the folder first. Files of two runs never mix.
/// </summary>
public static class RunFolder
{
    /// <summary>run.json: the run's id (on a cluster) and the SHA-256 of its resolved scenario, written at its start.</summary>
    public const string RunJson = "run.json";

    private sealed record Marker(string? RunId, string ScenarioSha256);

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Makes <paramref name="directory"/> ready for a run: refuses a folder holding files of another run,
    /// empties it with <paramref name="force"/>, creates it and checks that it can be written.</summary>
    /// <param name="directory">The output folder (--out).</param>
    /// <param name="resumeRunId">The --run-id of a run on a cluster, which may resume into its own folder.</param>
    /// <param name="force">--force: empty a non-empty folder first.</param>
    /// <exception cref="UsageException">The folder cannot be used (exit 2, with the path and the fix).</exception>
    public static void Claim(string directory, string? resumeRunId, bool force)
    {
        string full;
        try { full = Path.GetFullPath(directory); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"{directory}: not a usable folder path: {e.Message} (fix: give --out a plain folder path, e.g. runs/my-run)");
        }
        if (File.Exists(full))
            throw new UsageException($"{directory}: is a file, not a folder (fix: give --out a folder that does not exist yet or is empty)");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            var recorded = RecordedRunId(full);
            if (resumeRunId is not null && recorded == resumeRunId)
            {
                // The same run resuming after a restart: it rewrites its files from tick 0.
            }
            else if (force)
            {
                Empty(directory, full);
            }
            else
            {
                var entries = Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
                var resume = recorded is not null ? $", add --run-id {recorded} to resume the run it holds" : "";
                throw new UsageException($"{directory}: the output folder is not empty ({entries.Count} entries: " +
                    $"{string.Join(", ", entries.Take(4))}{(entries.Count > 4 ? ", ..." : "")}); a run does not mix its files with another's " +
                    $"(fix: choose a new folder with --out{resume}, or add --force to empty it first)");
            }
        }
        EnsureWritable(directory);
    }

    /// <summary>Creates the folder if needed and checks that a file can be written in it.</summary>
    /// <param name="directory">The output folder.</param>
    /// <param name="fix">What to do instead; default: give --out a folder that can be written.</param>
    /// <exception cref="UsageException">It cannot (exit 2, with the path and the fix).</exception>
    public static void EnsureWritable(string directory, string? fix = null)
    {
        try
        {
            var full = Path.GetFullPath(directory);
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new UsageException($"{directory}: cannot write the output folder: {e.Message} " +
                $"(fix: {fix ?? "give --out a folder you can write, e.g. under your home folder or the current folder"})");
        }
    }

    /// <summary>Records the run's id and scenario hash in the folder (run.json).</summary>
    public static void Record(string directory, string? runId, string scenarioSha256) =>
        RunFiles.WriteAtomically(Path.Combine(directory, RunJson), JsonSerializer.Serialize(new Marker(runId, scenarioSha256), JsonOptions) + "\n");

    private static string? RecordedRunId(string directory)
    {
        try
        {
            var path = Path.Combine(directory, RunJson);
            return File.Exists(path) ? JsonSerializer.Deserialize<Marker>(File.ReadAllText(path), JsonOptions)?.RunId : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Deletes what a folder holds. The current folder, one holding it and the file system's root are refused.</summary>
    private static void Empty(string directory, string full)
    {
        var current = Path.GetFullPath(Environment.CurrentDirectory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var target = full.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (Path.GetPathRoot(full) == full || current.StartsWith(target, StringComparison.Ordinal) ||
            target == Path.GetFullPath(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar)
            throw new UsageException($"{directory}: --force would empty the root, your home folder or a folder holding the current one " +
                "(fix: give --out a folder of its own, e.g. runs/my-run)");
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(full).ToList())
            {
                if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{directory}: --force cannot empty the folder: {e.Message} (fix: choose another folder with --out, or fix its permissions)");
        }
    }
}
