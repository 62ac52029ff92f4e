using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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
    public const int MaxReplications = 1000;
    public const int MaxVariants = 500;

    private static readonly string[] TopKeys = ["name", "question", "scenario", "set", "variants", "grid", "replications", "seed", "metrics"];
    private static readonly string[] VariantKeys = ["name", "set"];

    /// <summary>Loads and validates an experiment file; every problem has file, line, column, path and a fix.
    /// Each variant's resolved scenario (base + common overrides + the variant's) is loaded and validated too.</summary>
    public static (Experiment? Experiment, IReadOnlyList<string> Problems) Load(string path)
    {
        if (Directory.Exists(path))
            return (null, [$"{path}: is a folder, not an experiment file (fix: name a .yaml file, e.g. config/experiments/price-war.yaml)"]);
        if (!System.IO.File.Exists(path))
            return (null, [$"{path}: experiment file not found (looked for {Path.GetFullPath(path)}; fix: check the path; shipped experiments are in config/experiments/)"]);
        var doc = PositionedYaml.Parse(ScenarioInput.ReadBounded(path), path);
        var problems = new List<ScenarioProblem>(doc.Problems);
        if (doc.Root is null) return (null, Strings(problems));
        if (doc.Root is not JsonObject root)
        {
            problems.Add(doc.Problem("", "expected a mapping of keys to values", "start with 'scenario:', 'variants:', 'replications:'..."));
            return (null, Strings(problems));
        }
        UnknownKeys(doc, root, "", TopKeys, problems);
        var name = OptionalString(doc, root, "name", problems) ?? Path.GetFileNameWithoutExtension(path);
        if (root.ContainsKey("name") && !IsId(name))
        {
            // The name is the default output folder (sweeps/<name>): a path such as ../../x or /tmp/x would leave it.
            problems.Add(doc.Problem("/name", $"'{name}' is not a valid experiment name: it names the folder sweeps/<name> and may not be a path",
                "use letters, digits, '-', '_', '.' and '=' only, starting with a letter or digit (choose the folder itself with --out)"));
            name = "experiment";
        }
        var question = OptionalString(doc, root, "question", problems);
        var scenario = OptionalString(doc, root, "scenario", problems);
        string? scenarioPath = null;
        if (scenario is null)
        {
            if (!root.ContainsKey("scenario"))
                problems.Add(doc.Problem("/scenario", "missing required key 'scenario'", "add 'scenario:' (the base scenario file, relative to this file, e.g. ../scenarios/small.yaml)"));
        }
        else
        {
            scenarioPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", scenario));
            if (!System.IO.File.Exists(scenarioPath))
                problems.Add(doc.Problem("/scenario", $"scenario file '{scenario}' not found (looked for {scenarioPath})", "give the path relative to the experiment file, e.g. ../scenarios/small.yaml"));
        }
        var common = Overrides(doc, root, "/set", problems);
        var replications = Integer(doc, root, "replications", 1, MaxReplications, problems) ?? 1;
        var seed = ReadSeed(doc, root, problems);
        var variants = new List<Variant>();
        if (root["variants"] is { } v)
        {
            if (v is not JsonArray list) problems.Add(doc.Problem("/variants", $"expected a list, got {Describe(v)}", "write one '- name: ...' entry per variant"));
            else
                for (var i = 0; i < list.Count; i++)
                {
                    var pointer = $"/variants/{i}";
                    if (list[i] is not JsonObject item)
                    {
                        problems.Add(doc.Problem(pointer, $"expected a mapping with name and set, got {Describe(list[i])}", "write '- name: my-variant' then 'set: [path=value]'"));
                        continue;
                    }
                    UnknownKeys(doc, item, pointer, VariantKeys, problems);
                    var variantName = OptionalString(doc, item, "name", problems, pointer);
                    if (variantName is null && !item.ContainsKey("name"))
                        problems.Add(doc.Problem(pointer + "/name", "missing required key 'name'", "add 'name:' (a short id such as no-war, used as a folder name)"));
                    else if (variantName is not null && !IsId(variantName))
                        problems.Add(doc.Problem(pointer + "/name", $"'{variantName}' is not a valid variant name", "use letters, digits, '-', '_', '.' and '=' only, starting with a letter or digit"));
                    variants.Add(new Variant(variantName ?? $"variant-{i}", Overrides(doc, item, pointer + "/set", problems)));
                }
        }
        if (root["grid"] is { } g)
        {
            if (g is not JsonObject grid || grid.Count == 0)
                problems.Add(doc.Problem("/grid", $"expected a mapping of PATH to a list of values, got {Describe(g)}", "write e.g. 'providers.lab.pricing.valuePremium: [1.5, 2.0]' below 'grid:'"));
            else
                variants.AddRange(GridVariants(doc, grid, problems));
        }
        if (variants.Count == 0 && !problems.Any(p => p.Path.StartsWith("variants", StringComparison.Ordinal) || p.Path.StartsWith("grid", StringComparison.Ordinal)))
            problems.Add(doc.Problem("/variants", "no variants: an experiment compares at least one variant", "add 'variants:' with '- name: base' (no overrides) and a changed one, or 'grid:'"));
        if (variants.Count > MaxVariants)
            problems.Add(doc.Problem("/grid", $"{variants.Count} variants; at most {MaxVariants} are supported", "use fewer values in the grid"));
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
        if (root["metrics"] is { } m)
        {
            if (m is not JsonArray list || list.Count == 0)
                problems.Add(doc.Problem("/metrics", $"expected a non-empty list of metric names, got {Describe(m)}", $"write e.g. [{string.Join(", ", MetricVocabulary.Default)}]"));
            else
                for (var i = 0; i < list.Count; i++)
                {
                    var text = list[i] is JsonValue jv && jv.TryGetValue<string>(out var str) ? str : null;
                    if (text is null)
                    {
                        problems.Add(doc.Problem($"/metrics/{i}", $"expected a metric name, got {Describe(list[i])}", "write a name such as total_profit_usd"));
                        continue;
                    }
                    if (MetricVocabulary.Check(text, baseScenario) is { } problem)
                        problems.Add(doc.Problem($"/metrics/{i}", problem.Message, problem.Hint));
                    else metrics.Add(text);
                }
        }
        else metrics.AddRange(MetricVocabulary.Default);

        // Every variant's scenario must load; a bad override is reported at the variant.
        if (baseScenario is not null && scenarioPath is not null)
        {
            var listed = root["variants"] as JsonArray;
            for (var i = 0; i < variants.Count; i++)
            {
                var (s, vp) = ScenarioInput.Check(scenarioPath, [.. common, .. variants[i].Overrides]);
                if (s is not null) continue;
                var pointer = listed is not null && i < listed.Count ? $"/variants/{i}/set" : "/grid";
                problems.Add(doc.Problem(pointer, $"variant '{variants[i].Name}' does not load: {string.Join("; ", vp)}", "fix the override's path or value (paths as for marketsim run --set)"));
            }
        }
        if (problems.Count > 0) return (null, Strings(problems));
        return (new Experiment(Path.GetFullPath(path), name, question, scenarioPath!, common, variants, replications, seed, metrics), []);
    }

    private static IEnumerable<Variant> GridVariants(PositionedYaml doc, JsonObject grid, List<ScenarioProblem> problems)
    {
        var axes = new List<(string Path, List<string> Values)>();
        foreach (var (key, value) in grid)
        {
            var pointer = "/grid/" + key.Replace("~", "~0").Replace("/", "~1");
            if (value is not JsonArray values || values.Count == 0)
            {
                problems.Add(doc.Problem(pointer, $"expected a non-empty list of values, got {Describe(value)}", "write the values as a list, e.g. [0.05, 0.1, 0.2]"));
                continue;
            }
            var texts = new List<string>();
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] is JsonValue jv && jv.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    texts.Add(jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : jv.ToJsonString());
                else problems.Add(doc.Problem($"{pointer}/{i}", $"expected a scalar value, got {Describe(values[i])}", "grid values are numbers, strings or true/false"));
            }
            axes.Add((key, texts));
        }
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

    private static string Slug(string value) =>
        string.Concat(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-'));

    private static bool IsId(string s) =>
        s.Length > 0 && char.IsAsciiLetterOrDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '=');

    private static void UnknownKeys(PositionedYaml doc, JsonObject obj, string pointer, string[] allowed, List<ScenarioProblem> problems)
    {
        foreach (var (key, _) in obj)
            if (!allowed.Contains(key, StringComparer.Ordinal))
                problems.Add(doc.Problem($"{pointer}/{key}", $"unknown key '{key}'", PositionedYaml.SuggestionHint(key, allowed, "allowed keys"), atKey: true));
    }

    private static string? OptionalString(PositionedYaml doc, JsonObject obj, string key, List<ScenarioProblem> problems, string pointer = "")
    {
        if (!obj.TryGetPropertyValue(key, out var node)) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0) return v.GetValue<string>();
        problems.Add(doc.Problem($"{pointer}/{key}", $"expected a non-empty string, got {Describe(node)}", "put the value in quotes"));
        return null;
    }

    private static List<string> Overrides(PositionedYaml doc, JsonObject owner, string pointer, List<ScenarioProblem> problems)
    {
        var key = pointer[(pointer.LastIndexOf('/') + 1)..];
        var result = new List<string>();
        if (!owner.TryGetPropertyValue(key, out var node) || node is null) return result;
        if (node is not JsonArray list)
        {
            problems.Add(doc.Problem(pointer, $"expected a list of PATH=VALUE overrides, got {Describe(node)}", "write e.g. [providers.lab.strategy=undercut, ticks=90]"));
            return result;
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is var s && s.IndexOf('=') > 0)
                result.Add(s);
            else
                problems.Add(doc.Problem($"{pointer}/{i}", $"expected PATH=VALUE, got {Describe(list[i])}", "write an override as on the command line, e.g. providers.lab.strategy=undercut"));
        }
        return result;
    }

    private static int? Integer(PositionedYaml doc, JsonObject obj, string key, int min, int max, List<ScenarioProblem> problems)
    {
        if (!obj.TryGetPropertyValue(key, out var node)) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            if (n >= min && n <= max) return (int)n;
            problems.Add(doc.Problem("/" + key, $"must be from {min} to {max} (was {n})", $"use a value from {min} to {max}"));
            return null;
        }
        problems.Add(doc.Problem("/" + key, $"expected a whole number, got {Describe(node)}", "write a whole number such as 5"));
        return null;
    }

    private static ulong ReadSeed(PositionedYaml doc, JsonObject obj, List<ScenarioProblem> problems)
    {
        if (!obj.TryGetPropertyValue("seed", out var node)) return 1;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && ulong.TryParse(v.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return n;
        problems.Add(doc.Problem("/seed", $"expected a whole number from 0 to 18446744073709551615, got {Describe(node)}", "write a whole number such as 42"));
        return 1;
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"'{v.GetValue<string>()}'",
        _ => node.ToJsonString(),
    };

    private static List<string> Strings(IEnumerable<ScenarioProblem> problems) =>
        [.. problems.Distinct().OrderBy(p => p.Line).ThenBy(p => p.Column).Select(p => p.ToString())];
}
