using System.CommandLine;
using MarketSim.Cli.Experiments;
using MarketSim.Cli.Output;
using MarketSim.Cli.Reports;
using Spectre.Console;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim compare DIR DIR... [--metric NAME]... [--out DIR]</c>: the comparison of finished runs (a
/// run folder is one group of n = 1) or sweeps (a sweep folder contributes each of its variants).</summary>
public static class CompareCommand
{
    internal static Command Create(CliContext context)
    {
        var dirs = new Argument<string[]>("DIR") { Description = "Run folders (with summary.json) or sweep folders (with runs/)", Arity = ArgumentArity.OneOrMore };
        var metrics = new Option<string[]>("--metric") { Description = "A metric to compare (repeatable; default: the standard set plus profit_usd and final_share of every provider)", HelpName = "NAME", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--out") { Description = "Where to write comparison.csv, comparison.parquet and report.html (default: the current folder)", HelpName = "DIR" };
        var providers = new Option<string[]>("--provider") { Description = "A provider whose token share report.html follows, summed with the others given (repeatable; default: the largest at the end of the first run)", HelpName = "ID", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("compare", "Compare finished runs or sweeps on the experiment metrics; report.html overlays them over time") { dirs, metrics, output, providers };
        command.SetAction((parsed, _) => ExecuteAsync(context, parsed.GetRequiredValue(dirs), parsed.GetValue(metrics) ?? [], parsed.GetValue(output) ?? ".", parsed.GetValue(providers) ?? []));
        return command;
    }

    public static async Task<int> ExecuteAsync(CliContext context, IReadOnlyList<string> directories, IReadOnlyList<string> metricNames, string output,
        IReadOnlyList<string>? providers = null)
    {
        var groups = new List<RunGroup>();
        var problems = new List<string>();
        foreach (var dir in directories)
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
            if (File.Exists(Path.Combine(dir, RunFiles.SummaryJson)))
            {
                if (SweepCommand.IsCompleteRun(dir)) groups.Add(new RunGroup(name, [dir]));
                else groups.Add(new RunGroup(name, [], 1));
            }
            else if (Directory.Exists(Path.Combine(dir, "runs")))
            {
                foreach (var variant in Directory.GetDirectories(Path.Combine(dir, "runs")).Order(StringComparer.Ordinal))
                {
                    var runs = Directory.GetDirectories(variant).Order(StringComparer.Ordinal).ToList();
                    var complete = runs.Where(SweepCommand.IsCompleteRun).ToList();
                    groups.Add(new RunGroup(directories.Count > 1 ? $"{name}/{Path.GetFileName(variant)}" : Path.GetFileName(variant), complete, runs.Count - complete.Count));
                }
            }
            else problems.Add($"{dir}: neither a run folder (no summary.json) nor a sweep folder (no runs/) (fix: name a folder written by marketsim run or marketsim sweep)");
        }
        var firstRun = groups.SelectMany(g => g.RunDirectories).FirstOrDefault();
        var metrics = metricNames.Count > 0 ? metricNames.ToList()
            : [.. MetricVocabulary.Default, .. firstRun is null ? [] : MetricVocabulary.ProviderIds(firstRun).SelectMany(p => new[] { $"profit_usd:{p}", $"final_share:{p}" })];
        foreach (var m in metrics)
            if (MetricVocabulary.Check(m, null) is { } p) problems.Add($"--metric {m}: {p.Message} (fix: {p.Hint})");
        var compared = groups.SelectMany(g => g.RunDirectories.Select(d => new CompareReport.Entry(
            g.RunDirectories.Count == 1 && directories.Contains(d) ? g.Name : $"{g.Name}/{Path.GetFileName(d)}", Reports.RunFolder.Load(d)))).ToList();
        var followed = providers is { Count: > 0 } ? providers : CompareReport.DefaultProviders(compared);
        var known = compared.SelectMany(r => r.Run.ProviderIds).Distinct(StringComparer.Ordinal).ToList();
        foreach (var p in followed.Where(p => !known.Contains(p, StringComparer.Ordinal)))
            problems.Add($"--provider {p}: no run has this provider (fix: one of {string.Join(", ", known)})");
        if (problems.Count > 0) throw new UsageException(string.Join('\n', problems));
        Output.RunFolder.EnsureWritable(output);
        var rows = Comparison.Compute(groups, metrics);
        Print(context, rows);
        await Comparison.WriteAsync(output, rows);
        await context.Out.WriteLineAsync($"wrote {Path.Combine(output, Comparison.CsvName)}");
        if (compared.Count > 0) await context.Out.WriteLineAsync($"wrote {CompareReport.Write(output, compared, followed)}");
        return ExitCodes.Success;
    }

    /// <summary>Prints a comparison as a table: metric, variant, mean, 95 % CI, n.</summary>
    public static void Print(CliContext context, IReadOnlyList<ComparisonRow> rows)
    {
        var table = new Table().AddColumns("metric", "variant", "mean", "95% CI", "n");
        foreach (var c in table.Columns.Skip(2)) c.RightAligned();
        foreach (var r in rows)
        {
            var e = r.Estimate;
            table.AddRow(Markup.Escape(r.Metric), Markup.Escape(r.Variant), e is null ? "-" : Comparison.Format(e.Mean, r.Metric),
                e is null || double.IsNaN(e.Ci95Low) ? "-" : $"{Comparison.Format(e.Ci95Low, r.Metric)} .. {Comparison.Format(e.Ci95High, r.Metric)}",
                $"{e?.N ?? 0}{(r.Failed > 0 ? $" ({r.Failed} failed)" : "")}");
        }
        context.Console.Write(table);
    }
}
