using System.Text.Json;
using System.Text.Json.Nodes;
using MarketSim.Model.Scenarios.Loading;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenarios;

/// <summary>Loads scenario files: YAML, then overrides, then JSON Schema validation, then semantic checks, then
/// the <see cref="Scenario"/> object. Bad input never throws; it becomes <see cref="ScenarioProblem"/>s located
/// by file, line and column.</summary>
public static class ScenarioLoader
{
    /// <summary>Ids of the built-in GPU catalogue that fleets and events may refer to without declaring them.
    /// The engine may point this at its catalogue at start-up; a load can also pass its own set.</summary>
    public static IReadOnlySet<string> BuiltInGpuIds { get; set; } = new HashSet<string>(StringComparer.Ordinal) { "A100", "H100", "H200", "B200" };

    /// <summary>Loads the scenario file at <paramref name="path"/>.</summary>
    /// <param name="path">The YAML file.</param>
    /// <param name="overrides">Command-line overrides <c>path=value</c>, applied in order before validation.</param>
    /// <param name="builtInGpuIds">GPU ids known without declaration; <see cref="BuiltInGpuIds"/> when null.</param>
    public static ScenarioLoadResult Load(string path, IReadOnlyList<string>? overrides = null, IReadOnlySet<string>? builtInGpuIds = null)
    {
        var text = BoundedFile.Read(path, out var refusal);
        return text is null
            ? Failed([new ScenarioProblem(path, 0, 0, "", refusal!.Message, refusal.Hint)])
            : LoadFromText(text, path, overrides, builtInGpuIds);
    }

    /// <summary>Loads a scenario from YAML text; <paramref name="fileName"/> is used in problems, and a parent named
    /// by <c>extends:</c> is looked for relative to its folder.</summary>
    public static ScenarioLoadResult LoadFromText(string yaml, string fileName, IReadOnlyList<string>? overrides = null, IReadOnlySet<string>? builtInGpuIds = null)
    {
        var problems = new List<ScenarioProblem>();
        var root = YamlReader.Read(yaml, fileName, problems);
        if (root is null)
        {
            return Failed(problems);
        }
        var origins = new Dictionary<YamlNode, SourceLocation>(ReferenceEqualityComparer.Instance);
        root = Inheritance.Resolve(root, fileName, origins, problems);
        if (root is null)
        {
            return Failed(problems);
        }
        OverrideApplier.Apply(root, overrides ?? [], problems, origins);
        if (root is YamlMappingNode mapping && mapping.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: Inheritance.Key }) is { } extends
            && origins.TryGetValue(extends, out var at))
        {
            // Only an override can bring the key back: the file's own extends was resolved and removed.
            problems.Add(new ScenarioProblem(at.File, at.Line, at.Column, Inheritance.Key, "an override cannot change 'extends'",
                "set the values themselves, or write a scenario file that extends another"));
            return Failed(problems);
        }
        var (json, map, conversionProblems) = YamlToJson.Convert(root, fileName, origins, SchemaValidation.MaxItems);
        var locator = new ProblemLocator(json, map, fileName);
        var pending = conversionProblems
            .Concat(SchemaValidation.Validate(json))
            .Concat(SemanticChecks.Run(json, map, builtInGpuIds ?? BuiltInGpuIds));
        problems.AddRange(pending.Select(locator.At));
        return problems.Count > 0 ? Failed(problems) : Deserialize(json, locator);
    }

    private static ScenarioLoadResult Deserialize(JsonNode? json, ProblemLocator locator)
    {
        try
        {
            return new ScenarioLoadResult(json.Deserialize<Scenario>(ScenarioJson.Options), []);
        }
        catch (JsonException e)
        {
            var path = (e.Path ?? "$").TrimStart('$').Replace("[", ".").Replace("]", "");
            var pointer = string.Concat(path.Split('.', StringSplitOptions.RemoveEmptyEntries).Select(s => "/" + s));
            return Failed([locator.At(pointer, $"cannot read the value: {e.Message}", "check the value's type against the schema")]);
        }
    }

    private static ScenarioLoadResult Failed(IEnumerable<ScenarioProblem> problems) =>
        new(null, problems
            .Distinct()
            .OrderBy(p => p.File == ScenarioProblem.OverrideFile ? 1 : 0)
            .ThenBy(p => p.Line)
            .ThenBy(p => p.Column)
            .ToList());
}
