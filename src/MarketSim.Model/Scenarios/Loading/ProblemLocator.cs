using System.Text;
using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>Turns a JSON pointer plus a message into a <see cref="ScenarioProblem"/> with file, line, column and
/// a readable path.</summary>
internal sealed class ProblemLocator(JsonNode? root, SourceMap map, string file)
{
    public ScenarioProblem At(string pointer, string message, string hint, bool atKey = false)
    {
        var location = (atKey ? map.KeyOrValue(pointer) : map.ValueOrAncestor(pointer)) ?? new SourceLocation(file, 0, 0);
        return new ScenarioProblem(location.File, location.Line, location.Column, FormatPath(root, pointer), message, hint);
    }

    public ScenarioProblem At(PendingProblem pending) => At(pending.Pointer, pending.Message, pending.Hint, pending.AtKey);

    /// <summary>Formats a pointer as <c>providers[lab-a].models[0].tier</c>: list elements by id when they have
    /// one, else by index.</summary>
    public static string FormatPath(JsonNode? root, string pointer)
    {
        var path = new StringBuilder();
        var node = root;
        foreach (var segment in Pointer.Segments(pointer))
        {
            if (node is JsonArray array && int.TryParse(segment, out var index))
            {
                node = index >= 0 && index < array.Count ? array[index] : null;
                path.Append('[').Append(ElementName(node) ?? segment).Append(']');
                continue;
            }
            if (path.Length > 0)
            {
                path.Append('.');
            }
            path.Append(segment);
            node = node is JsonObject obj ? obj[segment] : null;
        }
        return path.ToString();
    }

    private static string? ElementName(JsonNode? element) =>
        element is JsonObject obj && obj["id"] is JsonValue id && id.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : null;
}
