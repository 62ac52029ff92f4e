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

    public static async Task<int> ExecuteAsync(CliContext context, string runDirectory, string? output)
    {
        var path = RunReport.Write(runDirectory, output);
        await context.Out.WriteLineAsync($"wrote {path}");
        return ExitCodes.Success;
    }
}
