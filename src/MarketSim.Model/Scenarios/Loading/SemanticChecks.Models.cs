using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

internal sealed partial class SemanticChecks
{
    /// <summary>model-release and model-retirement events, in the order they take effect: the provider must exist
    /// by then (a provider, or an entrant of an earlier provider-entry event), a release's id must be new to the
    /// provider, and a retired model must be one of its models or an earlier release.</summary>
    private void CheckModelLifecycle()
    {
        var models = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (_, provider) in Elements("/providers"))
        {
            if (Str(provider, "id") is { } id)
            {
                models.TryAdd(id, ModelIds(provider));
            }
        }
        foreach (var (pointer, ev) in Elements("/events").Select((e, i) => (e.Pointer, e.Obj, i)).OrderBy(e => TickOf(e.Obj)).ThenBy(e => e.i).Select(e => (e.Pointer, e.Obj)))
        {
            var kind = Str(ev, "kind");
            if (kind == "provider-entry" && ev["entrant"] is JsonObject entrant && Str(entrant, "id") is { } entrantId)
            {
                models.TryAdd(entrantId, ModelIds(entrant));
                continue;
            }
            if (kind is not ("model-release" or "model-retirement") || Str(ev, "provider") is not { } provider)
            {
                continue;
            }
            if (!models.TryGetValue(provider, out var known))
            {
                Add(Pointer.Append(pointer, "provider"), $"unknown provider '{provider}'",
                    Suggestions.Hint(provider, models.Keys.ToList(), "known providers")
                    + $" (a {kind} needs a provider of providers or the entrant of an earlier provider-entry event)");
                continue;
            }
            if (kind == "model-release" && ev["release"] is JsonObject release)
            {
                CheckRelease(Pointer.Append(pointer, "release"), release, provider, known);
            }
            else if (kind == "model-retirement" && Str(ev, "model") is { } model && !known.Contains(model))
            {
                Add(Pointer.Append(pointer, "model"), $"provider '{provider}' has no model '{model}' at that date",
                    Suggestions.Hint(model, known, "its models then"));
            }
        }
    }

    private void CheckRelease(string pointer, JsonObject release, string provider, List<string> known)
    {
        CheckParallelism(Pointer.Append(pointer, "parallelism"));
        if (Str(release, "id") is not { } id)
        {
            return;
        }
        if (known.Contains(id))
        {
            Add(Pointer.Append(pointer, "id"), $"provider '{provider}' already has a model '{id}'",
                $"give the released model a new id (its models and earlier releases: {string.Join(", ", known)})");
            return;
        }
        known.Add(id);
    }

    private static List<string> ModelIds(JsonObject provider) =>
        (provider["models"] as JsonArray ?? []).OfType<JsonObject>().Select(m => Str(m, "id")).OfType<string>().ToList();

    /// <summary>The tick an event takes effect, for ordering; events whose time cannot be read sort last.</summary>
    private int TickOf(JsonObject ev)
    {
        if (Num(ev, "tick") is { } tick and >= 0 and <= int.MaxValue)
        {
            return (int)tick;
        }
        if (_horizon is not null && JsonText.Date(ev["at"]) is { } at)
        {
            return (at.DayNumber - _horizon.Start.DayNumber) / _horizon.TickDays;
        }
        return int.MaxValue;
    }
}
