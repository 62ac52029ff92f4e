using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

internal sealed partial class SemanticChecks
{
    private void CheckEvents()
    {
        var providers = AllProviders().Select(p => (Id: Str(p.Obj, "id"), p.Obj)).Where(p => p.Id is not null).ToList();
        foreach (var (pointer, ev) in Elements("/events"))
        {
            CheckWhen(pointer, ev);
            CheckKindNeeds(pointer, ev);
            CheckReferences(pointer, ev, providers!);
        }
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
        var kind = Str(ev, "kind");
        switch (kind)
        {
            case "price-cut":
                Need(pointer, ev, kind, "provider");
                if (Need(pointer, ev, kind, "fraction") && Num(ev, "fraction") is { } fraction and (<= 0 or >= 1))
                {
                    Add(Pointer.Append(pointer, "fraction"),
                        $"a price-cut fraction must be between 0 and 1, both excluded (was {JsonText.Format(fraction)})",
                        "fraction is the share taken off the price: 0.3 cuts it by 30 %");
                }
                break;
            case "gpu-price-shock":
                Need(pointer, ev, kind, "gpu");
                Need(pointer, ev, kind, "factor");
                break;
            case "gpu-generation":
                Need(pointer, ev, kind, "newGpu");
                break;
            case "provider-entry":
                Need(pointer, ev, kind, "entrant");
                break;
            case "provider-exit":
                Need(pointer, ev, kind, "provider");
                break;
            case "strategy-change":
                Need(pointer, ev, kind, "provider");
                Need(pointer, ev, kind, "strategy");
                break;
            case "demand-shock":
                Need(pointer, ev, kind, "factor");
                break;
            case "model-release":
                Need(pointer, ev, kind, "provider");
                Need(pointer, ev, kind, "release");
                break;
            case "model-retirement":
                Need(pointer, ev, kind, "provider");
                Need(pointer, ev, kind, "model");
                break;
            case "compression-breakthrough":
                if (Need(pointer, ev, kind, "factor") && Num(ev, "factor") is < 1 and var factor)
                {
                    Add(Pointer.Append(pointer, "factor"), $"a compression-breakthrough factor must be at least 1 (was {JsonText.Format(factor)})",
                        "factor multiplies the compression ratio R: 2 doubles it (e.g. FP8 to FP4)");
                }
                break;
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
