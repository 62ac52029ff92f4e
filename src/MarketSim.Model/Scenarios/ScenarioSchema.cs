using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MarketSim.Model.Scenarios.Loading;

namespace MarketSim.Model.Scenarios;

/// <summary>The JSON Schema of scenario files (config/schema/scenario.schema.json, embedded in this assembly).</summary>
public static class ScenarioSchema
{
    private const string ResourceName = "MarketSim.Model.Scenarios.scenario.schema.json";

    private static readonly Lazy<SchemaFile> LazyFile = new(() => SchemaFile.FromResource(typeof(ScenarioSchema).Assembly, ResourceName));

    /// <summary>The schema document as text.</summary>
    public static string Text => File.Text;

    /// <summary>The compiled schema.</summary>
    public static JsonSchema Schema => File.Schema;

    /// <summary>The schema with its document.</summary>
    public static SchemaFile File => LazyFile.Value;

    /// <summary>The schema document as a JSON tree; shared, never modified.</summary>
    internal static JsonObject Document => File.Document;

    internal static JsonElement ToElement(JsonNode? node) => JsonSerializer.SerializeToElement(node);
}
