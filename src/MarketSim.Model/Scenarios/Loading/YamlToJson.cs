using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>A problem found before paths can be formatted: a JSON pointer plus what is wrong.</summary>
internal readonly record struct PendingProblem(string Pointer, string Message, string Hint, bool AtKey = false);

/// <summary>Converts the YAML tree to a System.Text.Json tree, recording where each value and key came from.</summary>
internal sealed class YamlToJson
{
    private readonly string _file;
    private readonly IReadOnlyDictionary<YamlNode, SourceLocation> _origins;
    private readonly Func<string, int?> _maxItems;
    private readonly List<PendingProblem> _problems = [];
    private int _nodes;

    private YamlToJson(string file, IReadOnlyDictionary<YamlNode, SourceLocation> origins, Func<string, int?> maxItems)
    {
        _file = file;
        _origins = origins;
        _maxItems = maxItems;
    }

    public SourceMap Map { get; } = new();

    /// <summary>Converts <paramref name="root"/>; <paramref name="origins"/> locates nodes of other files and of
    /// overrides. Bounds are checked while converting: at most <see cref="ScenarioLimits.MaxNodes"/> nodes with every
    /// use of an alias counted, and a list at a pointer is cut at <paramref name="maxItems"/> of it.</summary>
    public static (JsonNode? Json, SourceMap Map, IReadOnlyList<PendingProblem> Problems) Convert(
        YamlNode root, string file, IReadOnlyDictionary<YamlNode, SourceLocation> origins, Func<string, int?>? maxItems = null)
    {
        var converter = new YamlToJson(file, origins, maxItems ?? (_ => null));
        var json = converter.Node(root, Pointer.Root, 0);
        return (json, converter.Map, converter._problems);
    }

    private SourceLocation Locate(YamlNode node) =>
        _origins.TryGetValue(node, out var origin) ? origin : new SourceLocation(_file, (int)node.Start.Line, (int)node.Start.Column);

    private JsonNode? Node(YamlNode node, string pointer, int depth)
    {
        if (_nodes > ScenarioLimits.MaxNodes)
        {
            return null;
        }
        Map.AddValue(pointer, Locate(node));
        if (++_nodes > ScenarioLimits.MaxNodes)
        {
            _problems.Add(new PendingProblem(pointer, $"more than {ScenarioLimits.MaxNodes:N0} values once aliases are expanded",
                "use fewer aliases (*name): each use copies the whole anchored value"));
            return null;
        }
        if (depth > ScenarioLimits.MaxDepth)
        {
            _problems.Add(new PendingProblem(pointer, $"nesting deeper than {ScenarioLimits.MaxDepth} levels", "a scenario is never this deep: check for a recursive alias"));
            return null;
        }
        return node switch
        {
            YamlMappingNode mapping => Mapping(mapping, pointer, depth),
            YamlSequenceNode sequence => Sequence(sequence, pointer, depth),
            YamlScalarNode scalar => YamlScalars.ToJson(scalar),
            _ => null,
        };
    }

    private JsonObject Mapping(YamlMappingNode mapping, string pointer, int depth)
    {
        var result = new JsonObject();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Map.AddValue(Pointer.Append(pointer, "?"), Locate(keyNode));
                _problems.Add(new PendingProblem(Pointer.Append(pointer, "?"), "a key must be a plain name, not a list or mapping",
                    "write keys as simple names such as 'markup:'"));
                continue;
            }
            var child = Pointer.Append(pointer, key);
            Map.AddKey(child, Locate(keyNode));
            result[key] = Node(valueNode, child, depth + 1);
        }
        return result;
    }

    private JsonArray Sequence(YamlSequenceNode sequence, string pointer, int depth)
    {
        var result = new JsonArray();
        var count = sequence.Children.Count;
        if (_maxItems(pointer) is { } max && count > max)
        {
            _problems.Add(SchemaValidation.TooManyItems(pointer, max, count));
            count = max;
        }
        for (var i = 0; i < count; i++)
        {
            result.Add(Node(sequence.Children[i], Pointer.Append(pointer, i), depth + 1));
        }
        return result;
    }
}
