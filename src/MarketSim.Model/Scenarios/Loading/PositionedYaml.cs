using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>
/// A YAML file other than a scenario (an experiment, a provider spec), read with the scenario loader's machinery:
/// the JSON tree of the file plus where every key and value came from, so that a caller's own checks produce
/// <see cref="ScenarioProblem"/>s with file, line, column, a readable path and a fix, exactly like scenario problems.
/// </summary>
public sealed class PositionedYaml
{
    private readonly ProblemLocator? _locator;
    private readonly string _file;

    private PositionedYaml(string file, JsonNode? root, ProblemLocator? locator, IReadOnlyList<ScenarioProblem> problems)
    {
        _file = file;
        Root = root;
        _locator = locator;
        Problems = problems;
    }

    /// <summary>The document as JSON (null when the YAML could not be read).</summary>
    public JsonNode? Root { get; }

    /// <summary>Problems of reading the YAML itself (syntax, duplicate keys, aliases).</summary>
    public IReadOnlyList<ScenarioProblem> Problems { get; }

    /// <summary>Reads YAML text; <paramref name="fileName"/> is used in problems. With a <paramref name="schema"/>,
    /// lists are cut at their maxItems while converting and the document is validated against it.</summary>
    public static PositionedYaml Parse(string yaml, string fileName, SchemaFile? schema = null)
    {
        var problems = new List<ScenarioProblem>();
        var root = YamlReader.Read(yaml, fileName, problems);
        if (root is null) return new PositionedYaml(fileName, null, null, problems);
        Func<string, int?>? maxItems = schema is null ? null : pointer => SchemaValidation.MaxItems(schema, pointer);
        var (json, map, conversion) = YamlToJson.Convert(root, fileName, new Dictionary<YamlDotNet.RepresentationModel.YamlNode, SourceLocation>(ReferenceEqualityComparer.Instance), maxItems);
        var locator = new ProblemLocator(json, map, fileName);
        problems.AddRange(conversion.Select(locator.At));
        if (schema is not null && conversion.Count == 0)
        {
            problems.AddRange(SchemaValidation.Validate(json, schema).Select(locator.At));
        }
        return new PositionedYaml(fileName, json, locator, problems);
    }

    /// <summary>Reads a file within <see cref="ScenarioLimits"/> (a regular file, at most
    /// <see cref="ScenarioLimits.MaxFileBytes"/>), then as <see cref="Parse"/>.</summary>
    public static PositionedYaml Load(string path, SchemaFile? schema = null)
    {
        var text = BoundedFile.Read(path, out var refusal);
        return text is null
            ? new PositionedYaml(path, null, null, [new ScenarioProblem(path, 0, 0, "", refusal!.Message, refusal.Hint)])
            : Parse(text, path, schema);
    }

    /// <summary>A problem at a JSON pointer (<c>/variants/1/set/0</c>), located at its value, or at its key when
    /// <paramref name="atKey"/> (an unknown key).</summary>
    public ScenarioProblem Problem(string pointer, string message, string hint, bool atKey = false) =>
        _locator?.At(pointer, message, hint, atKey) ?? new ScenarioProblem(_file, 0, 0, "", message, hint);

    /// <summary>"did you mean 'x'? allowed keys: a, b, c".</summary>
    public static string SuggestionHint(string word, IReadOnlyCollection<string> candidates, string listName) =>
        Suggestions.Hint(word, candidates, listName);
}
