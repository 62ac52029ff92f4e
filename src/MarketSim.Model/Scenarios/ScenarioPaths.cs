using System.Globalization;
using System.Text.Json.Nodes;
using MarketSim.Model.Scenarios.Loading;

namespace MarketSim.Model.Scenarios;

/// <summary>
/// The dotted paths of <c>--set PATH=VALUE</c> read against the scenario schema and a resolved scenario: what a path
/// names (a number, a list element...) and the value it has. A segment that follows a list picks the element by its
/// <c>id</c> (or by position), as overrides do.
/// </summary>
public static class ScenarioPaths
{
    /// <summary>Where a path goes: per segment, whether it picks an element of a list; and the JSON type the schema
    /// gives the value at its end ("number", "integer", "string", "object"...).</summary>
    public sealed record PathShape(IReadOnlyList<string> Segments, IReadOnlyList<bool> PicksListElement, string? Type);

    /// <summary>The shape of <paramref name="path"/> in the scenario schema, or the problem with it (the first segment
    /// the schema does not know, with the names it knows there).</summary>
    public static (PathShape? Shape, string? Problem) Shape(string path)
    {
        var segments = path.Split('.');
        if (segments.Any(s => s.Length == 0)) return (null, $"'{path}' has an empty segment");
        var view = SchemaView.At(Pointer.Root);
        var picks = new List<bool>();
        var walked = new List<string>();
        foreach (var segment in segments)
        {
            var isList = view?.Type == "array" || view?.Has("items") == true;
            var next = isList ? view!.Child("0") : view?.Child(segment);
            if (next is null)
            {
                var known = view?.PropertyNames ?? [];
                var at = walked.Count == 0 ? "the top level" : $"'{string.Join('.', walked)}'";
                return (null, known.Count == 0
                    ? $"{at} has no field '{segment}'"
                    : $"{at} has no field '{segment}' ({Suggestions.Hint(segment, known, "fields")})");
            }
            picks.Add(isList);
            walked.Add(segment);
            view = next;
        }
        return (new PathShape(segments, picks, view?.Type), null);
    }

    /// <summary>The number at <paramref name="path"/> in the resolved <paramref name="scenario"/>, or null when the
    /// scenario leaves it unset (the engine then uses the field's default) or the path does not lead to a number.</summary>
    public static double? NumberAt(Scenario scenario, string path)
    {
        JsonNode? node = JsonNode.Parse(ScenarioJson.Serialize(scenario));
        foreach (var segment in path.Split('.'))
        {
            node = node switch
            {
                JsonObject o => o.FirstOrDefault(p => string.Equals(p.Key, segment, StringComparison.OrdinalIgnoreCase)).Value,
                JsonArray a => a.FirstOrDefault(e => e is JsonObject eo && eo["id"]?.GetValue<string>() == segment)
                    ?? (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count ? a[i] : null),
                _ => null,
            };
            if (node is null) return null;
        }
        return node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
    }
}
