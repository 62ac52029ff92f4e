using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MarketSim.Cli.Bench;
using MarketSim.Cli.Experiments;
using MarketSim.Cli.Output;
using MarketSim.Client;
using MarketSim.Client.Calibration;
using MarketSim.Contracts;
using MarketSim.Model.Engine;
using Spectre.Console;

namespace MarketSim.Cli.Commands;

/// <summary>The options of one <c>marketsim calibrate</c>.</summary>
public sealed record CalibrateOptions(string ScenarioPath, string TargetPath, IReadOnlyList<string> Fits, IReadOnlyList<string> Overrides)
{
    public int Seeds { get; init; } = 3;
    /// <summary>Customers of the calibration runs (null: the scenario's, at most <see cref="CalibrateCommand.DefaultCustomers"/>).</summary>
    public int? Customers { get; init; }
    public int MaxEvaluations { get; init; } = 120;
    public int Window { get; init; } = 7;
    public string? OutputDirectory { get; init; }
    public int? Parallel { get; init; }
    public string Engine { get; init; } = EngineFactory.Reference;
    public string? Gateway { get; init; }
    public string ClusterId { get; init; } = ClusterDefaults.ClusterId;
    public string? ApiKey { get; init; }
}

/// <summary><c>marketsim calibrate SCENARIO --target FILE --fit PATH[=LOW..HIGH]... [--seeds N] [--customers N]
/// [--max-evaluations N] [--window N] [--out DIR] [--parallel N] [--engine reference|orleans] [--gateway HOST:PORT]
/// [--set PATH=VALUE]...</c>: fits scenario parameters to observed series by simulated method of moments with common
/// random numbers (<see cref="Calibrator"/>), and writes the fit, the estimates with intervals and the calibrated
/// scenario (an <c>extends:</c> file). Re-run into the same folder, it resumes.</summary>
public static class CalibrateCommand
{
    /// <summary>Calibration runs are scaled down to this many customers unless --customers says otherwise: a fit takes
    /// a hundred or more runs per seed.</summary>
    public const int DefaultCustomers = 2000;

    internal static Command Create(CliContext context)
    {
        var scenario = CommonOptions.Scenario();
        var target = new Option<string>("--target") { Description = "Observed series: a CSV of date,series,value[,weight][,source] (config/data has public ones)", HelpName = "FILE", Required = true };
        var fit = new Option<string[]>("--fit")
        {
            Description = $"A parameter to fit, as --set names it, with its bounds (default: half to twice its value); 1 to {FitParameter.MaxParameters}",
            HelpName = "PATH[=LOW..HIGH]", AllowMultipleArgumentsPerToken = false, Required = true,
        };
        var seeds = CommonOptions.Number<int>("--seeds", "Replications (seeds) run at every point (default 3); the same seeds everywhere", "N", "a whole number",
            n => n is < 1 or > 100 ? "must be 1 to 100" : null);
        var customers = CommonOptions.Number<int>("--customers", $"Customers of the calibration runs (default the scenario's, at most {DefaultCustomers}); demand and fleets scale with them", "N", "a whole number",
            n => n is < 10 or > 10_000_000 ? "must be 10 to 10,000,000" : null);
        var maxEvaluations = CommonOptions.Number<int>("--max-evaluations", "Evaluations of the search at most (default 120), each a run per seed", "N", "a whole number",
            n => n is < 2 or > 100_000 ? "must be 2 to 100,000" : null);
        var window = CommonOptions.Number<int>("--window", "Ticks averaged around each target date (default 7)", "N", "a whole number",
            n => n < 1 ? "must be at least 1" : null);
        var output = new Option<string>("--out") { Description = "Output folder (default calibrate/<scenario>); a calibration re-run into the same folder resumes", HelpName = "DIR" };
        var parallel = CommonOptions.Number<int>("--parallel", "Runs at once (default: the number of cores)", "N", "a whole number", n => n < 1 ? "must be at least 1" : null);
        var engine = CommonOptions.OneOf("--engine", "Engine: reference (in process, the default: calibration runs many small markets) or orleans (an embedded cluster, or --gateway)",
            EngineFactory.Reference, EngineFactory.Names);
        var gateway = CommonOptions.Gateway("Run on a running cluster (orleans engine)");
        var ticks = CommonOptions.Number<int>("--ticks", "Horizon in ticks (same as --set ticks=N)", "N", "a whole number", n => n < 1 ? "must be at least 1" : null);
        var set = CommonOptions.Set();
        var cluster = new ClusterOptions();
        var command = new Command("calibrate", "Fit scenario parameters to observed series (simulated method of moments, common random numbers) and write the calibrated scenario")
        {
            scenario, target, fit, seeds, customers, maxEvaluations, window, output, parallel, engine, gateway, ticks, set, cluster.ClusterId, cluster.ApiKeyFile,
        };
        command.SetAction((parsed, cancellationToken) =>
        {
            var overrides = new List<string>(parsed.GetValue(set) ?? []);
            if (parsed.GetValue(ticks) is { } t) overrides.Add(string.Create(CultureInfo.InvariantCulture, $"ticks={t}"));
            var engineName = parsed.GetValue(engine) ?? EngineFactory.Reference;
            if (parsed.GetValue(gateway) is not null) engineName = EngineFactory.Orleans;
            return ExecuteAsync(context, new CalibrateOptions(parsed.GetRequiredValue(scenario), parsed.GetRequiredValue(target), parsed.GetValue(fit) ?? [], overrides)
            {
                Seeds = parsed.GetValue(seeds) ?? 3, Customers = parsed.GetValue(customers), MaxEvaluations = parsed.GetValue(maxEvaluations) ?? 120,
                Window = parsed.GetValue(window) ?? 7, OutputDirectory = parsed.GetValue(output), Parallel = parsed.GetValue(parallel),
                Engine = engineName, Gateway = parsed.GetValue(gateway),
                ClusterId = cluster.ClusterIdOf(parsed), ApiKey = cluster.ApiKeyOf(parsed, "marketsim calibrate"),
            }, cancellationToken);
        });
        return command;
    }

    public static async Task<int> ExecuteAsync(CliContext context, CalibrateOptions options, CancellationToken cancellationToken)
    {
        var full = ScenarioInput.Load(options.ScenarioPath, options.Overrides);
        var name = string.IsNullOrWhiteSpace(full.Name) ? Path.GetFileNameWithoutExtension(options.ScenarioPath) : full.Name;
        var parameters = ParseFits(options.Fits, full);
        CheckBounds(options, parameters);
        var customers = options.Customers ?? Math.Min(full.Customers.Count, DefaultCustomers);
        var scenario = customers == full.Customers.Count ? full : BenchScenario.Scale(full, customers, full.Providers.Count, full.Ticks);
        scenario.Name = full.Name;
        var targets = ReadTargets(options.TargetPath, new MarketSetup(scenario));
        if (Calibrator.TooFewObservations(parameters.Count, targets) is { } tooFew)
            throw new UsageException($"{options.TargetPath}: {tooFew} (fix: add rows to the target file, or fit fewer parameters)");

        var outDir = options.OutputDirectory ?? Path.Combine("calibrate", name);
        RunFolder.EnsureWritable(outDir);
        var inputs = CalibrationFiles.InputsSha256(scenario, File.ReadAllText(options.TargetPath), parameters, options.Seeds, options.Window, full.Customers.Count / (double)customers);
        var journal = CalibrationFiles.OpenJournal(outDir, inputs);
        var parallel = options.Parallel ?? Math.Max(1, Environment.ProcessorCount);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{name}: fitting {parameters.Count} parameters to {targets.Count} observations ({string.Join(", ", targets.Select(t => t.Series.Name).Distinct())}); {options.Seeds} seeds × {scenario.Ticks} ticks of {customers} customers per point, at most {options.MaxEvaluations} points ({options.Engine} engine)"));
        if (journal.Known.Count > 0)
            await context.Out.WriteLineAsync($"resuming: {journal.Known.Count} evaluations of an earlier calibration into {outDir} are reused");

        EngineSession? shared = null;
        if (options.Engine == EngineFactory.Orleans)
            shared = await EngineFactory.CreateAsync(new EngineRequest(EngineFactory.Orleans, options.Gateway, null) { ClusterId = options.ClusterId, ApiKey = options.ApiKey }, cancellationToken);
        var clock = Stopwatch.StartNew();
        CalibrationResult result;
        var evaluations = new List<Evaluation>();
        try
        {
            var cluster = shared?.Cluster;
            var runner = new ExperimentRunner(() => cluster is null ? new ReferenceSimulation() : new OrleansSimulation(cluster))
            {
                Replications = options.Seeds, RootSeed = scenario.Seed, Parallelism = Math.Min(parallel, options.Seeds),
            };
            var calibrator = new Calibrator(runner, scenario, parameters, targets)
            {
                Window = options.Window, MaxEvaluations = options.MaxEvaluations, Journal = journal.Known,
                VolumeScale = full.Customers.Count / (double)customers,
            };
            var sync = new object();
            result = await calibrator.RunAsync(e =>
            {
                lock (sync)
                {
                    evaluations.Add(e);
                    if (!e.FromJournal) journal.Append(e);
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[{e.Index,3}] {e.Purpose,-10} objective {e.Objective,10:0.000000}  {string.Join("  ", parameters.Select((p, i) => $"{p.Path}={e.Values[i]:0.####}"))}{(e.FromJournal ? "  (journal)" : "")}  ({clock.Elapsed.TotalSeconds:0} s)"));
                }
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Err.WriteLineAsync($"marketsim calibrate: interrupted after {evaluations.Count} evaluations, kept in {Path.Combine(outDir, CalibrationFiles.JournalName)}; run the same command again to resume");
            return ExitCodes.Interrupted;
        }
        finally
        {
            journal.Dispose();
            if (shared is not null) await shared.DisposeAsync();
        }

        CalibrationFiles.Write(outDir, result, evaluations, parameters);
        var calibrated = CalibrationFiles.WriteScenario(outDir, options, full, result);
        Print(context, result);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{result.Evaluations} evaluations ({result.FromJournal} from the journal) in {clock.Elapsed.TotalSeconds:0} s; objective {result.StartObjective:0.000000} at the start, {result.Objective:0.000000} at the estimate; {result.StopReason}"));
        await context.Out.WriteLineAsync($"wrote {Path.Combine(outDir, CalibrationFiles.ParametersCsv)}, {CalibrationFiles.FitCsv}, {CalibrationFiles.EvaluationsCsv} and the calibrated scenario {calibrated}");
        return ExitCodes.Success;
    }

    /// <summary>The --fit options as parameters; any problem is bad input (exit 2) naming the option and the fix.</summary>
    public static IReadOnlyList<FitParameter> ParseFits(IReadOnlyList<string> fits, Scenario scenario)
    {
        if (fits.Count is 0 or > FitParameter.MaxParameters)
            throw new UsageException($"--fit: {fits.Count} parameters given (fix: fit 1 to {FitParameter.MaxParameters}, e.g. --fit providers.frontier-b.appeal=0..4)");
        var parameters = new List<FitParameter>();
        var problems = new List<string>();
        foreach (var text in fits)
        {
            var (parameter, problem, fix) = FitParameter.Parse(text, scenario);
            if (parameter is null) problems.Add($"--fit {text}: {problem} (fix: {fix})");
            else if (parameters.Any(p => p.Path == parameter.Path)) problems.Add($"--fit {text}: '{parameter.Path}' is fitted twice (fix: give each path once)");
            else parameters.Add(parameter);
        }
        return problems.Count > 0 ? throw new UsageException(string.Join(Environment.NewLine, problems)) : parameters;
    }

    /// <summary>Every bound must make a valid scenario: both ends are loaded once before any run.</summary>
    private static void CheckBounds(CalibrateOptions options, IReadOnlyList<FitParameter> parameters)
    {
        var problems = new List<string>();
        foreach (var p in parameters)
            foreach (var value in new[] { p.Low, p.High })
            {
                var (_, found) = ScenarioInput.Check(options.ScenarioPath, [.. options.Overrides, p.Override(value)]);
                if (found.Count > 0)
                    problems.Add($"--fit {p.Path}={p.Low.ToString(CultureInfo.InvariantCulture)}..{p.High.ToString(CultureInfo.InvariantCulture)}: the scenario is invalid at {value.ToString(CultureInfo.InvariantCulture)}: {found[0]} (fix: narrow the bounds to values the field accepts)");
            }
        if (problems.Count > 0) throw new UsageException(string.Join(Environment.NewLine, problems.Distinct()));
    }

    /// <summary>The target file's rows, or every problem with the file and line (exit 2).</summary>
    public static IReadOnlyList<TargetRow> ReadTargets(string path, MarketSetup setup)
    {
        if (Directory.Exists(path)) throw new UsageException($"{path}: is a folder, not a target file (fix: give a CSV of date,series,value[,weight][,source], e.g. config/data/baseline-targets.csv)");
        if (!File.Exists(path)) throw new UsageException($"{path}: no such target file (fix: give a CSV of date,series,value[,weight][,source], e.g. config/data/baseline-targets.csv)");
        var text = ScenarioInput.ReadBounded(path);
        if (text.Length > ScenarioInput.MaxScenarioChars) throw new UsageException($"{path}: larger than {ScenarioInput.MaxScenarioChars:N0} characters (fix: give a target file of observations, not a data dump)");
        var (rows, problems) = TargetFile.Parse(text, path, setup);
        return problems.Count > 0 ? throw new UsageException(string.Join(Environment.NewLine, problems.Take(20).Select(p => p.ToString()))) : rows;
    }

    /// <summary>The estimates and the fit per series.</summary>
    public static void Print(CliContext context, CalibrationResult result)
    {
        var table = new Table().AddColumns("parameter", "start", "bounds", "estimate", "95% CI", "std. error");
        foreach (var c in table.Columns.Skip(1)) c.RightAligned();
        foreach (var e in result.Estimates)
            table.AddRow(Markup.Escape(e.Parameter.Path), F(e.Parameter.Start), $"{F(e.Parameter.Low)}..{F(e.Parameter.High)}", F(e.Value),
                e.Identified ? Markup.Escape($"[{F(e.Ci95Low!.Value)}, {F(e.Ci95High!.Value)}]") : "not identified", e.StandardError is { } s ? F(s) : "-");
        context.Console.Write(table);
        var series = new Table().AddColumns("series", "rows", "scale", "mean residual", "RMS residual");
        foreach (var c in series.Columns.Skip(1)) c.RightAligned();
        foreach (var g in result.Fit.GroupBy(f => f.Row.Series.Name))
            series.AddRow(Markup.Escape(g.Key), $"{g.Count()}", g.First().Row.Series.Scale == SeriesScale.Log ? "log" : "level",
                g.Average(f => f.Residual).ToString("0.000", CultureInfo.InvariantCulture),
                Math.Sqrt(g.Average(f => f.Residual * f.Residual)).ToString("0.000", CultureInfo.InvariantCulture));
        context.Console.Write(series);
    }

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
