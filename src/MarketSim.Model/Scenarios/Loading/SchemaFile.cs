using System.Text.Json.Nodes;
using Json.Schema;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>A JSON Schema document: compiled for validation, and as a tree from which problems are worded.</summary>
public sealed class SchemaFile
{
    public SchemaFile(string text)
    {
        Text = text;
        Schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        Document = JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The schema document as text.</summary>
    public string Text { get; }

    /// <summary>The compiled schema.</summary>
    public JsonSchema Schema { get; }

    /// <summary>The schema document as a JSON tree; shared, never modified.</summary>
    internal JsonObject Document { get; }

    /// <summary>Reads an embedded resource of <paramref name="assembly"/>.</summary>
    public static SchemaFile FromResource(System.Reflection.Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        return new SchemaFile(reader.ReadToEnd());
    }
}
