using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MarketSim.Cli.Commands;
using MarketSim.Cli.Output;
using MarketSim.Client.Calibration;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Cli.Experiments;

/// <summary>
/// The files of <c>marketsim calibrate</c> in its output folder: <c>calibration-inputs.json</c> (what the journal
/// belongs to), <c>evaluations.jsonl</c> (the journal: one line per evaluation, written as it completes, read back to
/// resume), <c>parameters.csv</c> (estimates with intervals), <c>fit.csv</c> (every target row, observed against
/// simulated), <c>evaluations.csv</c> (the search's path) and <c>calibrated.yaml</c> (the scenario with the
/// estimates, extending the calibrated file).
/// </summary>
public static class CalibrationFiles
{
    public const string InputsJson = "calibration-inputs.json";
    public const string JournalName = "evaluations.jsonl";
    public const string ParametersCsv = "parameters.csv";
    public const string FitCsv = "fit.csv";
    public const string EvaluationsCsv = "evaluations.csv";
    public const string ScenarioName = "calibrated.yaml";

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The hash of everything an evaluation's result depends on: the runs' scenario (customers scaled), the
    /// target file, the parameters with their bounds, the seeds and the window. Not the budget or the engine (the
    /// engines are bit-identical), so a calibration may resume with a larger --max-evaluations or on a cluster.</summary>
    public static string InputsSha256(Scenario scenario, string targetText, IReadOnlyList<FitParameter> parameters, int seeds, int window, double volumeScale)
    {
        var text = new StringBuilder()
            .AppendLine(ScenarioWriter.ToYaml(scenario)).AppendLine(targetText)
            .AppendLine(string.Join(";", parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Path}={p.Low:R}..{p.High:R}@{p.Start:R}"))))
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"seeds={seeds} window={window} volumeScale={volumeScale:R}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The journal of <paramref name="directory"/>: its evaluations when they were made from the same
    /// inputs; a folder holding a calibration of other inputs is refused (its results are not overwritten).</summary>
    /// <exception cref="UsageException">The folder holds another calibration.</exception>
    public static CalibrationJournal OpenJournal(string directory, string inputsSha256)
    {
        Directory.CreateDirectory(directory);
        var inputs = Path.Combine(directory, InputsJson);
        var journal = Path.Combine(directory, JournalName);
        var known = new Dictionary<string, IReadOnlyList<IReadOnlyList<double>>>();
        if (File.Exists(inputs))
        {
            string? sha = null;
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(inputs));
                sha = doc.RootElement.GetProperty("inputsSha256").GetString();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { }
            if (sha != inputsSha256)
                throw new UsageException($"{directory}: holds a calibration of other inputs (scenario, target file, --fit, --seeds, --customers or --window differ) " +
                    "(fix: give another --out DIR, or delete the folder to start over)");
            if (File.Exists(journal))
                foreach (var line in File.ReadLines(journal))
                {
                    if (line.Length == 0) continue;
                    try
                    {
                        var entry = JsonSerializer.Deserialize<JournalEntry>(line, Json);
                        if (entry?.Values is { } values && entry.Simulated is { } simulated) known[Calibrator.Key(values)] = simulated;
                    }
                    catch (JsonException) { }   // a line cut short by an interruption: that evaluation runs again
                }
        }
        else
        {
            File.WriteAllText(inputs, JsonSerializer.Serialize(new { inputsSha256, written = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) }));
            File.Delete(journal);
        }
        return new CalibrationJournal(journal, known);
    }

    private sealed record JournalEntry(double[]? Values, double[][]? Simulated);

    /// <summary>An open journal: the evaluations it holds, and appends new ones line by line.</summary>
    public sealed class CalibrationJournal(string path, IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<double>>> known) : IDisposable
    {
        private readonly StreamWriter _writer = new(path, append: true);

        public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<double>>> Known { get; } = known;

        public void Append(Evaluation e)
        {
            _writer.WriteLine(JsonSerializer.Serialize(new JournalEntry([.. e.Values], [.. e.Simulated.Select(s => s.ToArray())]), Json));
            _writer.Flush();
        }

        public void Dispose() => _writer.Dispose();
    }

    public static void Write(string directory, CalibrationResult result, IReadOnlyList<Evaluation> evaluations, IReadOnlyList<FitParameter> parameters)
    {
        using (var file = new CsvFile(Path.Combine(directory, ParametersCsv), [
            Column.Text("parameter"), Column.Real("start"), Column.Real("low_bound"), Column.Real("high_bound"), Column.Real("estimate"),
            Column.Real("std_error"), Column.Real("ci95_low"), Column.Real("ci95_high"), Column.Bool("identified")]))
            foreach (var e in result.Estimates)
                file.Text(e.Parameter.Path).Real(e.Parameter.Start).Real(e.Parameter.Low).Real(e.Parameter.High).Real(e.Value)
                    .Real(e.StandardError).Real(e.Ci95Low).Real(e.Ci95High).Bool(e.Identified).EndRow();
        using (var file = new CsvFile(Path.Combine(directory, FitCsv), [
            Column.Int("line"), Column.Date("date"), Column.Text("series"), Column.Text("scale"), Column.Real("weight"), Column.Real("observed"),
            Column.Real("simulated"), Column.Real("residual"), Column.Text("source")]))
            foreach (var f in result.Fit)
                file.Int(f.Row.Line).Date(f.Row.Date).Text(f.Row.Series.Name).Text(f.Row.Series.Scale == SeriesScale.Log ? "log" : "level").Real(f.Row.Weight)
                    .Real(f.Observed).Real(f.Simulated).Real(f.Residual).Text(f.Row.Source).EndRow();
        using (var file = new CsvFile(Path.Combine(directory, EvaluationsCsv),
            [Column.Int("evaluation"), Column.Text("purpose"), .. parameters.Select(p => Column.Real(p.Path)), Column.Real("objective"), Column.Bool("from_journal")]))
            foreach (var e in evaluations)
            {
                file.Int(e.Index).Text(e.Purpose);
                foreach (var v in e.Values) file.Real(v);
                file.Real(e.Objective).Bool(e.FromJournal).EndRow();
            }
    }

    /// <summary>Writes calibrated.yaml: <c>extends:</c> the calibrated file, with the command's --set values and the
    /// estimates at their paths (list elements by id, so that they merge into the parent's). Returns its path.</summary>
    public static string WriteScenario(string directory, CalibrateOptions options, Scenario full, CalibrationResult result)
    {
        var root = new YamlMappingNode();
        var scenarioDir = Path.GetFullPath(directory);
        root.Add("extends", Path.GetRelativePath(scenarioDir, Path.GetFullPath(options.ScenarioPath)).Replace('\\', '/'));
        root.Add("name", $"{full.Name}-calibrated");
        root.Add("description", $"{full.Name} with {string.Join(", ", result.Estimates.Select(e => e.Parameter.Path))} fitted to {Path.GetFileName(options.TargetPath)} by marketsim calibrate");
        foreach (var o in options.Overrides)
        {
            var eq = o.IndexOf('=');
            if (eq > 0) Put(root, o[..eq], new YamlScalarNode(o[(eq + 1)..]));
        }
        foreach (var e in result.Estimates)
            Put(root, e.Parameter.Path, new YamlScalarNode(e.Value.ToString("R", CultureInfo.InvariantCulture)));
        var path = Path.Combine(directory, ScenarioName);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.WriteLine($"# Written by marketsim calibrate on {DateTime.UtcNow:yyyy-MM-dd} from {options.TargetPath} ({result.Evaluations} evaluations, objective {result.Objective.ToString("0.000000", CultureInfo.InvariantCulture)}).");
        writer.WriteLine($"# Estimates and intervals: {ParametersCsv}; fit per observation: {FitCsv}. Run it: ./marketsim run {Path.Combine(directory, ScenarioName)}");
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        File.WriteAllText(path, writer.ToString().Replace("\n...\n", "\n", StringComparison.Ordinal));
        return path;
    }

    /// <summary>Sets <paramref name="value"/> at a dotted path in a tree that an extends: file merges: mappings by key,
    /// list elements as mappings with their id.</summary>
    private static void Put(YamlMappingNode root, string path, YamlNode value)
    {
        if (ScenarioPaths.Shape(path).Shape is not { } shape) return;
        YamlNode node = root;
        for (var i = 0; i < shape.Segments.Count; i++)
        {
            var segment = shape.Segments[i];
            var last = i == shape.Segments.Count - 1;
            if (node is YamlSequenceNode list)
            {
                var element = list.Children.OfType<YamlMappingNode>().FirstOrDefault(m => m.Children.TryGetValue(new YamlScalarNode("id"), out var id) && id.ToString() == segment);
                if (element is null)
                {
                    element = new YamlMappingNode { { "id", segment } };
                    list.Add(element);
                }
                node = element;
                continue;
            }
            var mapping = (YamlMappingNode)node;
            var key = new YamlScalarNode(segment);
            if (last)
            {
                mapping.Children[key] = value;
                break;
            }
            var nextIsList = shape.PicksListElement[i + 1];
            if (!mapping.Children.TryGetValue(key, out var child))
            {
                child = nextIsList ? new YamlSequenceNode() : new YamlMappingNode();
                mapping.Add(key, child);
            }
            node = child;
        }
    }
}
