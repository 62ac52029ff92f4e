using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

internal sealed partial class SemanticChecks
{
    private void CheckGpus()
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (pointer, gpu) in ScenarioGpus())
        {
            if (Str(gpu, "id") is { } id && !first.TryAdd(id, Pointer.Append(pointer, "id")))
            {
                Add(Pointer.Append(pointer, "id"), $"duplicate GPU id '{id}'",
                    $"GPU ids must be unique; '{id}' is already defined on {LineOf(first[id])}");
            }
            if (gpu["curve"] is JsonObject curve)
            {
                CheckCurve(Pointer.Append(pointer, "curve"), curve);
            }
        }
    }

    private void CheckCurve(string pointer, JsonObject curve)
    {
        var kind = curve.ContainsKey("kind") ? Str(curve, "kind") : new CostCurveSpec().Kind;
        if (kind == "table")
        {
            CheckTable(pointer, curve);
        }
        else if (kind is "exponential" or "wright" && !(Num(curve, "startPricePerHour") > 0))
        {
            Add(curve.ContainsKey("startPricePerHour") ? Pointer.Append(pointer, "startPricePerHour") : pointer,
                $"a {kind} curve needs a positive startPricePerHour",
                "set startPricePerHour to the rental price per GPU-hour at launch, US$ (e.g. 4.7 for an H100 in 2023)");
        }
    }

    private void CheckTable(string pointer, JsonObject curve)
    {
        var pointsPointer = Pointer.Append(pointer, "points");
        var points = Elements(pointsPointer).ToList();
        if (points.Count < 2)
        {
            Add(curve.ContainsKey("points") ? pointsPointer : pointer, $"a table curve needs at least 2 points (has {points.Count})",
                "add dated prices, e.g. points: [{date: 2023-03-01, price: 4.7}, {date: 2025-01-01, price: 2.0}]");
            return;
        }
        DateOnly? previous = null;
        foreach (var (pointPointer, point) in points)
        {
            var date = JsonText.Date(point["date"]);
            if (date is not null && previous is not null && date <= previous)
            {
                Add(Pointer.Append(pointPointer, "date"), $"point date {date:yyyy-MM-dd} is not after the previous point's date {previous:yyyy-MM-dd}",
                    "list the points of a table curve in increasing date order, one price per date");
            }
            previous = date ?? previous;
        }
    }
}
