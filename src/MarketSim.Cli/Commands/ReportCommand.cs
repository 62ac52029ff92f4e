using System.CommandLine;
using MarketSim.Cli.Reports;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim report RUNDIR [--out FILE]</c>: writes the run's report.html (summary and charts, one
/// self-contained page) from the files of a run or fork folder.</summary>
public static class ReportCommand
{
    internal static Command Create(CliContext context)
    {
        var runDir = new Argument<string>("RUNDIR") { Description = "A run folder (written by marketsim run or marketsim fork)" };
        var output = new Option<string>("--out") { Description = "Where to write the page (default RUNDIR/report.html)", HelpName = "FILE" };
        var command = new Command("report", "Write report.html of a run: its summary and charts in one self-contained page") { runDir, output };
        command.SetAction((parsed, _) => ExecuteAsync(context, parsed.GetRequiredValue(runDir), parsed.GetValue(output)));
        return command;
    }

    /// <exception cref="UsageException">The run folder is missing or malformed, or the page cannot be written there (exit 2, with the path and the fix).</exception>
    public static async Task<int> ExecuteAsync(CliContext context, string runDirectory, string? output)
    {
        var target = output ?? Path.Combine(runDirectory, RunReport.FileName);
        const string fix = "give --out FILE.html in a folder you can write, e.g. ./report.html";
        if (Directory.Exists(target)) throw new UsageException($"{target}: is a folder, not a file (fix: {fix})");
        // A missing run folder is not made here: RunReport.Write says it is missing.
        if (Directory.Exists(runDirectory))
            Output.RunFolder.EnsureWritable(Path.GetDirectoryName(Path.GetFullPath(target))!, fix);
        var path = RunReport.Write(runDirectory, output);
        await context.Out.WriteLineAsync($"wrote {path}");
        return ExitCodes.Success;
    }
}
