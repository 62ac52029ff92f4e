using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

internal sealed partial class SemanticChecks
{
    private const double ShareTolerance = 1e-6;

    private IReadOnlyList<string> DefinedSegments() =>
        JsonText.Find(_root, "/customers/segments") is JsonObject segments ? segments.Select(s => s.Key).ToList() : [];

    private void CheckSegments()
    {
        const string pointer = "/customers/segments";
        if (JsonText.Find(_root, pointer) is not JsonObject { Count: > 0 } segments)
        {
            return;
        }
        var shares = segments.Select(s => (s.Key, Share: s.Value is JsonObject o ? Num(o, "share") : null)).ToList();
        if (shares.Any(s => s.Share is null))
        {
            return;
        }
        var sum = shares.Sum(s => s.Share!.Value);
        if (Math.Abs(sum - 1) > ShareTolerance)
        {
            var terms = string.Join(" + ", shares.Select(s => $"{s.Key} {JsonText.Format(s.Share!.Value)}"));
            Add(pointer, $"segment shares must sum to 1 (they sum to {JsonText.Format(sum)})",
                $"adjust the shares so that {terms} = 1");
        }
    }
}
