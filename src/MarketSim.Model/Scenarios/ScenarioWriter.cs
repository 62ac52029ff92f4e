using System.Text.Json;
using System.Text.Json.Nodes;
using MarketSim.Model.Scenarios.Loading;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenarios;

/// <summary>Writes a scenario as YAML (camelCase keys, nulls omitted, every other value written out) such that
/// <see cref="ScenarioLoader"/> reads back an equal scenario; used for <c>scenario.resolved.yaml</c>.</summary>
public static class ScenarioWriter
{
    /// <summary>The scenario as YAML.</summary>
    /// <param name="scenario">The scenario to write.</param>
    /// <param name="schemaPath">If given, a first line <c># yaml-language-server: $schema=...</c> lets editors
    /// validate and complete the file.</param>
    public static string ToYaml(Scenario scenario, string? schemaPath = null)
    {
        var json = JsonSerializer.SerializeToNode(scenario, ScenarioJson.Options);
        var stream = new YamlStream(new YamlDocument(ToYaml(json)));
        using var writer = new StringWriter { NewLine = "\n" };
        if (schemaPath is not null)
        {
            writer.WriteLine($"# yaml-language-server: $schema={schemaPath}");
        }
        stream.Save(writer, assignAnchors: false);
        return TrimDocumentEnd(writer.ToString());
    }

    /// <summary>A part of a scenario (a GPU type, a provider...) as a YAML node, written as in a scenario file.</summary>
    internal static YamlNode ToYamlNode<T>(T value) => ToYaml(JsonSerializer.SerializeToNode(value, ScenarioJson.Options));

    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject obj => new YamlMappingNode(obj.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), ToYaml(p.Value)))),
        JsonArray array => new YamlSequenceNode(array.Select(ToYaml)) { Style = array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block },
        JsonValue value when value.GetValueKind() == JsonValueKind.String => StringScalar(value.GetValue<string>()),
        JsonValue value => new YamlScalarNode(value.ToJsonString()) { Style = ScalarStyle.Plain },
        _ => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
    };

    /// <summary>Double quotes (with escapes) for anything a plain scalar would not read back exactly: text that
    /// looks like a number, boolean or null, and text with control characters or line breaks, which the emitter
    /// would otherwise fold.</summary>
    private static YamlScalarNode StringScalar(string text) =>
        new(text) { Style = YamlScalars.NeedsQuotes(text) || text.Any(NeedsEscape) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029' or '\ufeff';

    private static string TrimDocumentEnd(string yaml)
    {
        var text = yaml.TrimEnd();
        return (text.EndsWith("...", StringComparison.Ordinal) ? text[..^3].TrimEnd() : text) + "\n";
    }
}
