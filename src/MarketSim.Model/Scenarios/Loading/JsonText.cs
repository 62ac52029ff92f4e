using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>Reading and describing values of the converted scenario for checks and messages.</summary>
internal static class JsonText
{
    /// <summary>The node at a JSON pointer, or null.</summary>
    public static JsonNode? Find(JsonNode? root, string pointer)
    {
        var node = root;
        foreach (var segment in Pointer.Segments(pointer))
        {
            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, out var i) && i >= 0 && i < array.Count => array[i],
                _ => null,
            };
        }
        return node;
    }

    /// <summary>"the string 'abc'", "the number 3", "a list"... for messages.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "nothing (an empty value)",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => $"the string '{value.GetValue<string>()}'",
            JsonValueKind.Number => $"the number {value.ToJsonString()}",
            _ => $"the value {value.ToJsonString()}",
        },
        _ => node.ToJsonString(),
    };

    /// <summary>A scalar as the user wrote it: numbers as digits, strings without quotes.</summary>
    public static string Raw(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString() ?? "null";

    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    public static DateOnly? Date(JsonNode? node) =>
        String(node) is { } text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    /// <summary>Formats a number the way a user would write it.</summary>
    public static string Format(double value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
}
