using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>The schema that applies at one place of a scenario: the subschema and the definitions it refers to
/// (<c>$ref</c>), looked up in that order. The scenario schema uses no other applicators, so the schema of any
/// instance location is found by walking <c>properties</c>, <c>items</c> and <c>$ref</c>.</summary>
internal sealed class SchemaView
{
    private readonly IReadOnlyList<JsonObject> _layers;

    private SchemaView(IReadOnlyList<JsonObject> layers) => _layers = layers;

    /// <summary>The schema at an instance location, or null where the schema allows nothing.</summary>
    public static SchemaView? At(string pointer)
    {
        var view = Of(ScenarioSchema.Document);
        foreach (var segment in Pointer.Segments(pointer))
        {
            view = view?.Child(segment);
        }
        return view;
    }

    public JsonNode? this[string keyword] =>
        _layers.Select(layer => layer[keyword]).FirstOrDefault(value => value is not null);

    public string Description => this["description"]?.GetValue<string>() ?? "";

    /// <summary>The JSON type the schema expects ("object", "integer"...), or null for an enum without type.</summary>
    public string? Type => this["type"]?.GetValue<string>();

    public IReadOnlyList<string> PropertyNames =>
        this["properties"] is JsonObject properties ? properties.Select(p => p.Key).ToList() : [];

    public IReadOnlyList<string> Strings(string keyword) =>
        this[keyword] is JsonArray array ? array.Select(v => v?.ToString() ?? "null").ToList() : [];

    public bool Has(string keyword) => this[keyword] is not null;

    public SchemaView? Child(string segment)
    {
        if (this["items"] is JsonObject items)
        {
            return int.TryParse(segment, out _) ? Of(items) : null;
        }
        return this["properties"] is JsonObject properties && properties[segment] is JsonObject property ? Of(property) : null;
    }

    private static SchemaView Of(JsonObject schema)
    {
        var layers = new List<JsonObject> { schema };
        while (layers[^1]["$ref"]?.GetValue<string>() is { } reference && Resolve(reference) is { } target && layers.Count < 16)
        {
            layers.Add(target);
        }
        return new SchemaView(layers);
    }

    private static JsonObject? Resolve(string reference)
    {
        if (!reference.StartsWith('#'))
        {
            return null;
        }
        JsonNode? node = ScenarioSchema.Document;
        foreach (var segment in Pointer.Segments(reference[1..]))
        {
            node = node?[segment];
        }
        return node as JsonObject;
    }
}
