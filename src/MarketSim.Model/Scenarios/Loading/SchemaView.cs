using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>The schema that applies at one place of a scenario: the subschema and the definitions it refers to
/// (<c>$ref</c>), looked up in that order. The scenario schema uses no other applicators, so the schema of any
/// instance location is found by walking <c>properties</c>, <c>items</c> and <c>$ref</c>.</summary>
internal sealed class SchemaView
{
    private readonly JsonObject _root;
    private readonly IReadOnlyList<JsonObject> _layers;

    private SchemaView(JsonObject root, IReadOnlyList<JsonObject> layers)
    {
        _root = root;
        _layers = layers;
    }

    /// <summary>The scenario schema at an instance location, or null where the schema allows nothing.</summary>
    public static SchemaView? At(string pointer) => At(ScenarioSchema.Document, pointer);

    /// <summary>The schema of <paramref name="root"/> at an instance location, or null where it allows nothing.</summary>
    public static SchemaView? At(JsonObject root, string pointer)
    {
        var view = Of(root, root);
        foreach (var segment in Pointer.Segments(pointer))
        {
            view = view?.Child(segment);
        }
        return view;
    }

    public JsonNode? this[string keyword] =>
        _layers.Select(layer => layer[keyword]).FirstOrDefault(value => value is not null);

    public string Description => this["description"]?.GetValue<string>() ?? "";

    /// <summary>The JSON type the schema expects ("object", "integer"...; "string|number" for a list of types), or
    /// null for an enum without type.</summary>
    public string? Type => this["type"] switch
    {
        JsonArray types => string.Join('|', types.Select(t => t?.ToString())),
        { } type => type.ToString(),
        null => null,
    };

    /// <summary>True where the schema refuses keys it does not list.</summary>
    public bool ClosesProperties => this["additionalProperties"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.False;

    public IReadOnlyList<string> PropertyNames =>
        this["properties"] is JsonObject properties ? properties.Select(p => p.Key).ToList() : [];

    public IReadOnlyList<string> Strings(string keyword) =>
        this[keyword] is JsonArray array ? array.Select(v => v?.ToString() ?? "null").ToList() : [];

    public bool Has(string keyword) => this[keyword] is not null;

    public SchemaView? Child(string segment)
    {
        if (this["items"] is JsonObject items)
        {
            return int.TryParse(segment, out _) ? Of(_root, items) : null;
        }
        if (this["properties"] is JsonObject properties && properties[segment] is JsonObject property)
        {
            return Of(_root, property);
        }
        return this["additionalProperties"] is JsonObject additional ? Of(_root, additional) : null;
    }

    private static SchemaView Of(JsonObject root, JsonObject schema)
    {
        var layers = new List<JsonObject> { schema };
        while (layers[^1]["$ref"]?.GetValue<string>() is { } reference && Resolve(root, reference) is { } target && layers.Count < 16)
        {
            layers.Add(target);
        }
        return new SchemaView(root, layers);
    }

    private static JsonObject? Resolve(JsonObject root, string reference)
    {
        if (!reference.StartsWith('#'))
        {
            return null;
        }
        JsonNode? node = root;
        foreach (var segment in Pointer.Segments(reference[1..]))
        {
            node = node?[segment];
        }
        return node as JsonObject;
    }
}
