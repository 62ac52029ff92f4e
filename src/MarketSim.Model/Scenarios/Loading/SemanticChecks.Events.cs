using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

internal sealed partial class SemanticChecks
{
    private void CheckEvents()
    {
        var providers = AllProviders().Select(p => (Id: Str(p.Obj, "id"), p.Obj)).Where(p => p.Id is not null).ToList();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (pointer, ev) in Elements("/events"))
        {
            if (Str(ev, "id") is { } id && !ids.TryAdd(id, pointer))
            {
                Add(Pointer.Append(pointer, "id"), $"duplicate event id '{id}'",
                    $"event ids must be unique; '{id}' is already used on {LineOf(ids[id])}: rename one of them");
            }
            CheckWhen(pointer, ev);
            CheckKindNeeds(pointer, ev);
            if (Str(ev, "kind") is not ("model-release" or "model-retirement"))
            {
                CheckReferences(pointer, ev, providers!);
            }
        }
        CheckModelLifecycle();
    }

    private void CheckWhen(string pointer, JsonObject ev)
    {
        var hasAt = ev.ContainsKey("at");
        var hasTick = ev.ContainsKey("tick");
        if (hasAt == hasTick)
        {
            Add(pointer, hasAt ? "an event has both 'at' and 'tick'" : "an event needs 'at' (a date) or 'tick'",
                hasAt ? "give exactly one of them: remove 'at' or 'tick'" : "add at: YYYY-MM-DD, or tick: N (0 is the first day)");
            return;
        }
        if (_horizon is null)
        {
            return;
        }
        // Events after the horizon are allowed: a run shortened with --ticks simply ends before them.
        if (JsonText.Date(ev["at"]) is { } at && at < _horizon.Start)
        {
            Add(Pointer.Append(pointer, "at"), $"event date {at:yyyy-MM-dd} is before the start ({_horizon.Start:yyyy-MM-dd})",
                $"use a date from {_horizon.Start:yyyy-MM-dd} on, or move start earlier");
        }
    }

    private void CheckKindNeeds(string pointer, JsonObject ev)
    {
        if (Str(ev, "kind") is not { } kind || EventKinds.Find(kind) is not { } info)
        {
            return;
        }
        foreach (var field in info.Required)
        {
            Need(pointer, ev, kind, field);
        }
        var allowed = info.Allowed.ToList();
        foreach (var (key, _) in ev.Where(p => !allowed.Contains(p.Key) && SchemaView.At("/events/0")!.PropertyNames.Contains(p.Key)))
        {
            _problems.Add(new PendingProblem(Pointer.Append(pointer, key), $"a {kind} event does not use '{key}'",
                $"remove it: a {kind} event takes {string.Join(", ", info.Required.Concat(info.Optional))}", AtKey: true));
        }
        if (kind == "price-cut" && Num(ev, "fraction") is { } fraction and (<= 0 or >= 1))
        {
            Add(Pointer.Append(pointer, "fraction"),
                $"a price-cut fraction must be between 0 and 1, both excluded (was {JsonText.Format(fraction)})",
                "fraction is the share taken off the price: 0.3 cuts it by 30 %");
        }
        if (kind == "compression-breakthrough" && Num(ev, "factor") is < 1 and var factor)
        {
            Add(Pointer.Append(pointer, "factor"), $"a compression-breakthrough factor must be at least 1 (was {JsonText.Format(factor)})",
                "factor multiplies the compression ratio R: 2 doubles it (e.g. FP8 to FP4)");
        }
    }

    /// <summary>Reports a missing field the event's kind needs; true when the field is present.</summary>
    private bool Need(string pointer, JsonObject ev, string kind, string field)
    {
        if (ev.ContainsKey(field))
        {
            return true;
        }
        var description = SchemaView.At(Pointer.Append(pointer, field))?.Description ?? "";
        Add(Pointer.Append(pointer, field), $"a {kind} event needs '{field}'", SchemaValidation.AddKeyHint(field, description));
        return false;
    }

    private void CheckReferences(string pointer, JsonObject ev, IReadOnlyList<(string Id, JsonObject Obj)> providers)
    {
        var providerId = Str(ev, "provider");
        var provider = providers.FirstOrDefault(p => p.Id == providerId).Obj;
        if (providerId is not null && provider is null)
        {
            Add(Pointer.Append(pointer, "provider"), $"unknown provider '{providerId}'",
                Suggestions.Hint(providerId, providers.Select(p => p.Id).Distinct().ToList(), "known providers"));
        }
        if (Str(ev, "model") is { } model && (providerId is null || provider is not null))
        {
            var candidates = (provider is null ? providers.Select(p => p.Obj) : [provider])
                .SelectMany(p => p["models"] as JsonArray ?? []).OfType<JsonObject>()
                .Concat(Elements("/events").Select(e => e.Item2)
                    .Where(e => Str(e, "kind") == "model-release" && (providerId is null || Str(e, "provider") == providerId))
                    .Select(e => e["release"] as JsonObject).OfType<JsonObject>())
                .Select(m => Str(m, "id")).OfType<string>().Distinct().ToList();
            if (!candidates.Contains(model))
            {
                var of = providerId is null ? "" : $" of provider '{providerId}'";
                Add(Pointer.Append(pointer, "model"), $"unknown model '{model}'{of}", Suggestions.Hint(model, candidates, "known models"));
            }
        }
        if (Str(ev, "gpu") is { } gpu && !_gpuIds.Contains(gpu))
        {
            Add(Pointer.Append(pointer, "gpu"), $"unknown GPU '{gpu}'", GpuHint(gpu));
        }
        var segments = DefinedSegments();
        var names = SchemaView.At("/customers/segments")?.PropertyNames ?? [];
        if (Str(ev, "segment") is { } segment && names.Contains(segment) && segments.Count > 0 && !segments.Contains(segment))
        {
            Add(Pointer.Append(pointer, "segment"), $"segment '{segment}' is not defined in customers.segments",
                $"defined segments: {string.Join(", ", segments)}");
        }
    }
}
