using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketSim.Model.Scenarios;
using MarketSim.Model.Scenarios.Loading;

namespace MarketSim.Cli.Experiments;

/// <summary>One variant of an experiment: a name and the overrides (PATH=VALUE) it applies to the base scenario.</summary>
public sealed record Variant(string Name, IReadOnlyList<string> Overrides);

/// <summary>An experiment file (config/schema/experiment.schema.json): a question, a base scenario, variants (listed
/// and from grids), replications with a root seed, and the metrics to compare.</summary>
public sealed record Experiment(
    string File,
    string Name,
    string? Question,
    string ScenarioPath,
    IReadOnlyList<string> CommonOverrides,
    IReadOnlyList<Variant> Variants,
    int Replications,
    ulong Seed,
    IReadOnlyList<string> Metrics)
{
    /// <summary>Each run's files hold every this-many-th tick (<c>sampleEvery</c>); null: automatic (<see cref="Output.RunSampling.For"/>).</summary>
    public int? SampleEvery { get; init; }

    /// <summary>config/schema/experiment.schema.json, embedded in this assembly.</summary>
    public static SchemaFile Schema => LazySchema.Value;

    private static readonly Lazy<SchemaFile> LazySchema =
        new(() => SchemaFile.FromResource(typeof(Experiment).Assembly, "MarketSim.Cli.experiment.schema.json"));

    /// <summary>At most this many variants, listed and from the grid together: the schema's maxItems of 'variants'.</summary>
    public static int MaxVariants => LazyMaxVariants.Value;

    private static readonly Lazy<int> LazyMaxVariants =
        new(() => JsonNode.Parse(Schema.Text)!["properties"]!["variants"]!["maxItems"]!.GetValue<int>());

    /// <summary>Loads and validates an experiment file; every problem has file, line, column, path and a fix. The
    /// file is read within the scenario loader's bounds and validated against the experiment schema (types, ranges,
    /// names, PATH=VALUE overrides); then what the schema cannot say is checked here: the base scenario exists, the
    /// grid and the listed variants together are at most <see cref="MaxVariants"/> (counted before the grid is built),
    /// there is a variant, variant names are distinct, metrics name known providers and levels, and each variant's
    /// resolved scenario (base + common overrides + the variant's) loads.</summary>
    public static (Experiment? Experiment, IReadOnlyList<string> Problems) Load(string path)
    {
        var doc = PositionedYaml.Load(path, Schema);
        // Metric names are worded by the metric vocabulary (with suggestions), not by the schema's pattern.
        var problems = doc.Problems.Where(p => !(p.Path.StartsWith("metrics[", StringComparison.Ordinal) && p.Message.Contains("does not match the pattern", StringComparison.Ordinal))).ToList();
        if (doc.Root is not JsonObject root) return (null, Strings(problems));
        var name = Text(root["name"]) ?? Path.GetFileNameWithoutExtension(path);
        var question = Text(root["question"]);
        string? scenarioPath = null;
        if (Text(root["scenario"]) is { Length: > 0 } scenario)
        {
            scenarioPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", scenario));
            if (!System.IO.File.Exists(scenarioPath))
                problems.Add(doc.Problem("/scenario", $"scenario file '{scenario}' not found (looked for {scenarioPath})", "give the path relative to the experiment file, e.g. ../scenarios/small.yaml"));
        }
        var common = Overrides(root["set"]);
        // Types and ranges are the schema's: with a problem there, the values below are not used.
        var replications = root["replications"] is JsonValue r && int.TryParse(r.ToJsonString(), CultureInfo.InvariantCulture, out var n) ? n : 1;
        var seed = root["seed"] is JsonValue sv && ulong.TryParse(sv.ToJsonString(), CultureInfo.InvariantCulture, out var u) ? u : 1;
        var listed = root["variants"] as JsonArray ?? [];
        var variants = listed.Select((v, i) => new Variant(Text((v as JsonObject)?["name"]) ?? $"variant-{i}", Overrides((v as JsonObject)?["set"]))).ToList();
        if (root["grid"] is JsonObject grid && grid.Count > 0)
        {
            var combinations = grid.Aggregate(1L, (product, axis) => Math.Min(product * Math.Max(1, (axis.Value as JsonArray)?.Count ?? 1), MaxVariants + 1L));
            if (variants.Count + combinations > MaxVariants)
                problems.Add(doc.Problem("/grid", $"the grid makes {GridSize(grid)} variants (with {variants.Count} listed); at most {MaxVariants} variants are supported",
                    "use fewer values in the grid, or split the experiment"));
            else variants.AddRange(GridVariants(grid));
        }
        if (variants.Count == 0 && !problems.Any(p => p.Path.StartsWith("variants", StringComparison.Ordinal) || p.Path.StartsWith("grid", StringComparison.Ordinal)))
            problems.Add(doc.Problem("/variants", "no variants: an experiment compares at least one variant", "add 'variants:' with '- name: base' (no overrides) and a changed one, or 'grid:'"));
        foreach (var dup in variants.GroupBy(x => x.Name, StringComparer.OrdinalIgnoreCase).Where(x => x.Count() > 1))
            problems.Add(doc.Problem("/variants", $"variant name '{dup.Key}' is used {dup.Count()} times", "give every variant a distinct name (names are folder names)"));

        var metrics = new List<string>();
        Scenario? baseScenario = null;
        if (scenarioPath is not null && System.IO.File.Exists(scenarioPath))
        {
            var (s, scenarioProblems) = ScenarioInput.Check(scenarioPath, common);
            baseScenario = s;
            if (s is null) problems.Add(doc.Problem("/scenario", $"the base scenario (with 'set') is invalid: {string.Join("; ", scenarioProblems)}", "fix the scenario file or the overrides in 'set'"));
        }
        if (root["metrics"] is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (Text(list[i]) is not { } text) continue;
                if (MetricVocabulary.Check(text, baseScenario) is { } problem)
                    problems.Add(doc.Problem($"/metrics/{i}", problem.Message, problem.Hint));
                else metrics.Add(text);
            }
        }
        else metrics.AddRange(MetricVocabulary.Default);

        // Every variant's scenario must load; a bad override is reported at the variant.
        if (baseScenario is not null && scenarioPath is not null)
        {
            for (var i = 0; i < variants.Count; i++)
            {
                var (s, vp) = ScenarioInput.Check(scenarioPath, [.. common, .. variants[i].Overrides]);
                if (s is not null) continue;
                var pointer = i < listed.Count ? $"/variants/{i}/set" : "/grid";
                problems.Add(doc.Problem(pointer, $"variant '{variants[i].Name}' does not load: {string.Join("; ", vp)}", "fix the override's path or value (paths as for marketsim run --set)"));
            }
        }
        if (problems.Count > 0) return (null, Strings(problems));
        var sampleEvery = root["sampleEvery"] is JsonValue se && int.TryParse(se.ToJsonString(), CultureInfo.InvariantCulture, out var every) ? every : (int?)null;
        return (new Experiment(Path.GetFullPath(path), name, question, scenarioPath!, common, variants, replications, seed, metrics) { SampleEvery = sampleEvery }, []);
    }

    private static string GridSize(JsonObject grid)
    {
        var size = grid.Aggregate(System.Numerics.BigInteger.One, (product, axis) => product * Math.Max(1, (axis.Value as JsonArray)?.Count ?? 1));
        return size.ToString("N0", CultureInfo.InvariantCulture);
    }

    private static IEnumerable<Variant> GridVariants(JsonObject grid)
    {
        var axes = grid.Select(axis => (Path: axis.Key, Values: (axis.Value as JsonArray ?? []).OfType<JsonValue>()
            .Select(v => v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()).ToList())).ToList();
        IEnumerable<List<(string Path, string Value)>> product = [[]];
        foreach (var (axisPath, values) in axes)
            product = product.SelectMany(prefix => values.Select(value => new List<(string, string)>(prefix) { (axisPath, value) }));
        foreach (var combination in product)
        {
            if (combination.Count == 0) continue;
            var variantName = string.Join("_", combination.Select(c => $"{c.Path.Split('.')[^1]}={Slug(c.Value)}"));
            yield return new Variant(variantName, [.. combination.Select(c => $"{c.Path}={c.Value}")]);
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>The PATH=VALUE overrides of a 'set' list; one that is not (the schema reports it) is left out, so it
    /// is not reported again by the scenario loader.</summary>
    private static List<string> Overrides(JsonNode? node) =>
        [.. (node as JsonArray ?? []).Select(Text).OfType<string>().Where(s => s.IndexOf('=') > 0)];

    private static string Slug(string value) =>
        string.Concat(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-'));

    private static List<string> Strings(IEnumerable<ScenarioProblem> problems) =>
        [.. problems.Distinct().OrderBy(p => p.Line).ThenBy(p => p.Column).Select(p => p.ToString())];
}
