using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketSim.Model.Engine;

/// <summary>
/// The checks of what a run is given from outside (a client of the cluster, the command line): a scenario in its JSON
/// transport form and an event injected into a running market. Both go through the scenario loader's own validation
/// (JSON Schema, then the semantic checks, then compiling the market), so a value is accepted at the cluster exactly
/// when it would be accepted written in a scenario file. Problems are <c>path: message (fix: hint)</c>.
/// </summary>
public static class RunInputCheck
{
    /// <summary>The transport options without NaN and infinities: serialising a value that holds one fails.</summary>
    private static readonly JsonSerializerOptions Finite = new(ScenarioJson.Options) { NumberHandling = JsonNumberHandling.Strict };

    /// <summary>The problems of a scenario in its JSON transport form (empty when it is valid).</summary>
    public static IReadOnlyList<string> Scenario(string scenarioJson)
    {
        Scenario scenario;
        try
        {
            scenario = ScenarioJson.Deserialize(scenarioJson);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            return [$"scenario: not a scenario document: {FirstLine(e.Message)} (fix: send ScenarioJson.Serialize of a scenario)"];
        }
        if (NotFinite(scenario) is { } notFinite) return [$"scenario: {notFinite}"];
        return Load(scenario, "");
    }

    /// <summary>The problems of an event injected at <paramref name="tick"/> into the run whose scenario (with the
    /// events injected so far) is <paramref name="scenarioJson"/>: the scenario with the event added goes through the
    /// loader's checks (kind, references to providers, models, GPUs and segments, ranges of fractions and factors).
    /// <paramref name="e"/> is not changed.</summary>
    public static IReadOnlyList<string> Event(string scenarioJson, EventSpec e, int tick)
    {
        var kind = string.IsNullOrEmpty(e.Kind) ? "event" : e.Kind;
        if (NotFinite(e) is { } notFinite) return [$"{kind}: {notFinite}"];
        var copy = JsonSerializer.Deserialize<EventSpec>(JsonSerializer.Serialize(e, ScenarioJson.Options), ScenarioJson.Options)!;
        copy.Tick = tick;
        copy.At = null;
        var scenario = ScenarioJson.Deserialize(scenarioJson);
        scenario.Events.Add(copy);
        return Load(scenario, $"events[{scenario.Events.Count - 1}].", kind);
    }

    /// <summary>An event from its JSON form, or the problem with that form.</summary>
    public static (EventSpec? Event, string? Problem) ParseEvent(string eventJson)
    {
        try
        {
            var e = JsonSerializer.Deserialize<EventSpec>(eventJson, ScenarioJson.Options);
            return e is null ? (null, "event: empty event (fix: send the JSON of an EventSpec)") : (e, null);
        }
        catch (Exception x) when (x is JsonException or NotSupportedException or ArgumentException)
        {
            return (null, $"event: not an event document: {FirstLine(x.Message)} (fix: send the JSON of an EventSpec)");
        }
    }

    private static List<string> Load(Scenario scenario, string pathPrefix, string? label = null)
    {
        var result = ScenarioLoader.LoadFromText(ScenarioWriter.ToYaml(scenario), "scenario");
        var prefix = label is null ? "" : label + ": ";
        // Positions would point into the YAML written here, not into anything the caller wrote: only paths are kept.
        var problems = result.Problems.Select(p =>
            $"{prefix}{(p.Path.Length > 0 ? (pathPrefix.Length > 0 ? p.Path.Replace(pathPrefix, "") : p.Path) + ": " : "")}{p.Message}" +
            $"{(p.Hint.Length > 0 ? $" (fix: {p.Hint})" : "")}").ToList();
        if (problems.Count == 0)
        {
            try { _ = new MarketSetup(result.Scenario!); }
            catch (ArgumentException x) { problems.Add($"{prefix}{x.Message}"); }
        }
        return problems;
    }

    /// <summary>A message naming the first value that is NaN or infinite, or null when all are finite. (Only when a
    /// value is not finite are the values searched; a text field spelled "NaN" could then be named instead.)</summary>
    private static string? NotFinite<T>(T value)
    {
        try
        {
            _ = JsonSerializer.SerializeToUtf8Bytes(value, Finite);
            return null;
        }
        catch (ArgumentException)
        {
            var named = JsonSerializer.SerializeToNode(value, ScenarioJson.Options);
            return $"{FirstNotFinite(named, "") ?? "a value"} is not a finite number (fix: give a number, not NaN or infinity)";
        }
    }

    private static string? FirstNotFinite(System.Text.Json.Nodes.JsonNode? node, string path) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.Select(p => FirstNotFinite(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")).FirstOrDefault(x => x is not null),
        System.Text.Json.Nodes.JsonArray a => a.Select((v, i) => FirstNotFinite(v, $"{path}[{i}]")).FirstOrDefault(x => x is not null),
        // Written with named literals, a NaN or an infinity is the string "NaN", "Infinity" or "-Infinity".
        System.Text.Json.Nodes.JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is "NaN" or "Infinity" or "-Infinity" => path,
        _ => null,
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
