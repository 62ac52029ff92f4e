using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace MarketSim.Model.Scenarios;

/// <summary>The JSON Schema of scenario files (config/schema/scenario.schema.json, embedded in this assembly).</summary>
public static class ScenarioSchema
{
    private const string ResourceName = "MarketSim.Model.Scenarios.scenario.schema.json";

    private static readonly Lazy<string> LazyText = new(ReadResource);
    private static readonly Lazy<JsonSchema> LazySchema =
        new(() => JsonSchema.FromText(Text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));
    private static readonly Lazy<JsonObject> LazyNode = new(() => JsonNode.Parse(Text)!.AsObject());

    /// <summary>The schema document as text.</summary>
    public static string Text => LazyText.Value;

    /// <summary>The compiled schema.</summary>
    public static JsonSchema Schema => LazySchema.Value;

    /// <summary>The schema document as a JSON tree; shared, never modified.</summary>
    internal static JsonObject Document => LazyNode.Value;

    private static string ReadResource()
    {
        using var stream = typeof(ScenarioSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal static JsonElement ToElement(JsonNode? node) => JsonSerializer.SerializeToElement(node);
}
