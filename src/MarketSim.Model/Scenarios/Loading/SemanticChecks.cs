using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>Checks the schema cannot express: references between parts, uniqueness, dates within the horizon,
/// fields an event kind needs. Runs on the JSON tree and tolerates shapes the schema already reported.</summary>
internal sealed partial class SemanticChecks
{
    private readonly JsonObject _root;
    private readonly SourceMap _map;
    private readonly List<PendingProblem> _problems = [];
    private readonly HashSet<string> _gpuIds;
    private readonly Horizon? _horizon;

    private SemanticChecks(JsonObject root, SourceMap map, IReadOnlySet<string> builtInGpuIds)
    {
        _root = root;
        _map = map;
        _gpuIds = [.. builtInGpuIds, .. ScenarioGpus().Select(g => Str(g.Obj, "id")).OfType<string>()];
        _horizon = Horizon.Of(root);
    }

    public static IReadOnlyList<PendingProblem> Run(JsonNode? json, SourceMap map, IReadOnlySet<string> builtInGpuIds)
    {
        if (json is not JsonObject root)
        {
            return [];
        }
        var checks = new SemanticChecks(root, map, builtInGpuIds);
        checks.CheckProviders();
        checks.CheckGpus();
        checks.CheckSegments();
        checks.CheckEvents();
        checks.CheckRunLength();
        return checks._problems;
    }

    private void Add(string pointer, string message, string hint) => _problems.Add(new PendingProblem(pointer, message, hint));

    private string LineOf(string pointer) => _map.ValueOrAncestor(pointer) is { } location ? $"line {location.Line}" : "earlier";

    /// <summary>The objects of the list at a pointer, with their pointers.</summary>
    private IEnumerable<(string Pointer, JsonObject Obj)> Elements(string listPointer) =>
        JsonText.Find(_root, listPointer) is JsonArray array
            ? array.Select((item, i) => (Pointer.Append(listPointer, i), item as JsonObject))
                .Where(e => e.Item2 is not null)
                .Select(e => (e.Item1, e.Item2!))
            : [];

    /// <summary>Top-level providers and the entrants of provider-entry events.</summary>
    private IEnumerable<(string Pointer, JsonObject Obj)> AllProviders() =>
        Elements("/providers").Concat(Elements("/events")
            .Where(e => e.Obj["entrant"] is JsonObject)
            .Select(e => (Pointer.Append(e.Pointer, "entrant"), (JsonObject)e.Obj["entrant"]!)));

    /// <summary>The GPU types a scenario defines: its gpus and the newGpu of gpu-generation events.</summary>
    private IEnumerable<(string Pointer, JsonObject Obj)> ScenarioGpus() =>
        Elements("/gpus").Concat(Elements("/events")
            .Where(e => e.Obj["newGpu"] is JsonObject)
            .Select(e => (Pointer.Append(e.Pointer, "newGpu"), (JsonObject)e.Obj["newGpu"]!)));

    private static string? Str(JsonObject obj, string key) => JsonText.String(obj[key]);

    private static double? Num(JsonObject obj, string key) => JsonText.Number(obj[key]);

    private static string KnownList(IEnumerable<string> ids) => string.Join(", ", ids.Order(StringComparer.Ordinal));

    /// <summary>The simulated calendar: tick 0 is <see cref="Start"/>, the last simulated day is <see cref="Last"/>.</summary>
    private sealed record Horizon(DateOnly Start, DateOnly Last, int Ticks, int TickDays)
    {
        public static Horizon? Of(JsonObject root)
        {
            var defaults = new Scenario();
            var start = root.ContainsKey("start") ? JsonText.Date(root["start"]) : defaults.Start;
            var ticks = root.ContainsKey("ticks") ? JsonText.Number(root["ticks"]) : defaults.Ticks;
            var tickDays = root.ContainsKey("tickDays") ? JsonText.Number(root["tickDays"]) : defaults.TickDays;
            if (start is null || start < ScenarioLimits.FirstDate || start > ScenarioLimits.LastDate
                || ticks is not (>= 1 and <= RunBudget.MaxTicks) || tickDays is not (>= 1 and <= 365) || ticks % 1 != 0 || tickDays % 1 != 0
                || RunBudget.CalendarProblem(start.Value, (long)ticks, (long)tickDays) is not null)
            {
                return null;
            }
            return new Horizon(start.Value, start.Value.AddDays((int)ticks * (int)tickDays - 1), (int)ticks, (int)tickDays);
        }

        public bool Contains(DateOnly date) => date >= Start && date <= Last;

        public string Range => $"from {Start:yyyy-MM-dd} to {Last:yyyy-MM-dd}";
    }
}
