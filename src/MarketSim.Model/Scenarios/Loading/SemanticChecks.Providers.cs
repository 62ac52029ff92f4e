using System.Text.Json.Nodes;

namespace MarketSim.Model.Scenarios.Loading;

internal sealed partial class SemanticChecks
{
    private void CheckProviders()
    {
        CheckUniqueProviderIds();
        foreach (var (pointer, provider) in AllProviders())
        {
            CheckModels(pointer, provider);
            CheckFleetGpus(pointer);
            CheckLearner(Pointer.Append(Pointer.Append(pointer, "pricing"), "learner"));
        }
        foreach (var (pointer, provider) in Elements("/providers"))
        {
            CheckHasCapacity(pointer, provider);
            CheckEntersInHorizon(pointer, provider);
            CheckCalvanoMarket(pointer, provider);
        }
        foreach (var (pointer, e) in Elements("/events"))
        {
            if (Str(e, "strategy") == Economics.PricingStrategies.Calvano)
                Add(Pointer.Append(pointer, "strategy"), "a strategy-change event cannot switch a provider to the calvano strategy",
                    "the calvano strategy learns from the first tick of a market made for it (docs/MODEL.md 9.7): give the provider strategy: calvano in providers");
        }
    }

    /// <summary>The calvano strategy learns the market of Calvano et al. (2020): one model per firm, every provider a
    /// firm in the same tier from the start, and one customer segment, of kind logit (docs/MODEL.md 9.7).</summary>
    private void CheckCalvanoMarket(string pointer, JsonObject provider)
    {
        if (Str(provider, "strategy") != Economics.PricingStrategies.Calvano) return;
        var id = Str(provider, "id") ?? "(no id)";
        var strategy = Pointer.Append(pointer, "strategy");
        const string fix = "the calvano strategy prices one model on a market of aggregate logit demand (docs/MODEL.md 9.7)";
        var segments = JsonText.Find(_root, "/customers/segments") is JsonObject all
            ? all.Where(x => x.Value is JsonObject o && (Num(o, "share") ?? 0) > 0).ToList() : [];
        if (segments.Count != 1 || segments[0].Value is not JsonObject segment || Str(segment, "kind") != SegmentKinds.Logit)
        {
            Add(strategy, $"provider '{id}' uses the calvano strategy, but the customers are not one segment of kind logit",
                fix + ": give the customers exactly one segment (share 1) with kind: logit, mu and outsideUtility");
            return;
        }
        var tiers = new List<string>();
        foreach (var (_, p) in Elements("/providers"))
        {
            var list = p["models"] as JsonArray;
            if (list is not { Count: 1 } || list[0] is not JsonObject model || p.ContainsKey("enters"))
            {
                Add(strategy, $"provider '{id}' uses the calvano strategy, but provider '{Str(p, "id")}' does not serve exactly one model from the start",
                    fix + ": every provider is one firm with one model, present from the first tick");
                return;
            }
            tiers.Add(model.ContainsKey("tier") ? Str(model, "tier") ?? "" : new ModelSpec().Tier);
        }
        if (tiers.Distinct().Count() != 1)
            Add(strategy, $"provider '{id}' uses the calvano strategy, but the providers' models are in different tiers ({string.Join(", ", tiers.Distinct())})",
                fix + ": put every provider's model in the same tier");
    }

    private void CheckUniqueProviderIds()
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (pointer, provider) in AllProviders())
        {
            if (Str(provider, "id") is not { } id)
            {
                continue;
            }
            if (first.TryGetValue(id, out var earlier))
            {
                Add(Pointer.Append(pointer, "id"), $"duplicate provider id '{id}'",
                    $"provider ids must be unique; '{id}' is already used on {LineOf(earlier)}: rename one of them");
            }
            else
            {
                first[id] = Pointer.Append(pointer, "id");
            }
        }
    }

    private void CheckModels(string providerPointer, JsonObject provider)
    {
        var providerId = Str(provider, "id") ?? "(no id)";
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var tiers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (pointer, model) in Elements(Pointer.Append(providerPointer, "models")))
        {
            if (Str(model, "id") is { } id && !ids.TryAdd(id, pointer))
            {
                Add(Pointer.Append(pointer, "id"), $"duplicate model id '{id}' in provider '{providerId}'",
                    $"model ids must be unique within a provider; '{id}' is already used on {LineOf(ids[id])}");
            }
            var tier = model.ContainsKey("tier") ? Str(model, "tier") : new ModelSpec().Tier;
            if (tier is not null && !tiers.TryAdd(tier, Str(model, "id") ?? "(no id)"))
            {
                Add(model.ContainsKey("tier") ? Pointer.Append(pointer, "tier") : pointer,
                    $"provider '{providerId}' has more than one {tier} model ('{tiers[tier]}' and '{Str(model, "id")}')",
                    "a provider serves at most one model per tier (frontier, mid, small): change a tier or remove a model");
            }
            CheckParallelism(Pointer.Append(pointer, "parallelism"));
        }
    }

    private void CheckParallelism(string pointer)
    {
        if (JsonText.Find(_root, pointer) is not JsonObject parallelism)
        {
            return;
        }
        var gpus = Num(parallelism, "gpus") ?? new ParallelismSpec().Gpus;
        if (Num(parallelism, "eta") is { } eta && eta > gpus)
        {
            Add(Pointer.Append(pointer, "eta"), $"eta must not exceed gpus ({JsonText.Format(gpus)}) (was {JsonText.Format(eta)})",
                "eta = T_single / T_distributed is at most N, the number of GPUs per replica (N GPUs are never more than N times faster)");
        }
    }

    private void CheckLearner(string pointer)
    {
        if (JsonText.Find(_root, pointer) is not JsonObject learner)
        {
            return;
        }
        var defaults = new LearnerSpec();
        var low = Num(learner, "lowMultiple") ?? defaults.LowMultiple;
        var high = Num(learner, "highMultiple") ?? defaults.HighMultiple;
        if (high <= low)
        {
            Add(Pointer.Append(pointer, learner.ContainsKey("highMultiple") ? "highMultiple" : "lowMultiple"),
                $"highMultiple ({JsonText.Format(high)}) must be above lowMultiple ({JsonText.Format(low)})",
                "the price grid runs from lowMultiple to highMultiple times its anchor (unit cost by default)");
        }
    }

    private void CheckFleetGpus(string providerPointer)
    {
        foreach (var (pointer, entry) in Elements(Pointer.Append(providerPointer, "fleet")))
        {
            if (Str(entry, "gpu") is { } gpu && gpu.Length > 0 && !_gpuIds.Contains(gpu))
            {
                Add(Pointer.Append(pointer, "gpu"), $"unknown GPU '{gpu}'", GpuHint(gpu));
            }
        }
    }

    private string GpuHint(string gpu) =>
        Suggestions.Hint(gpu, _gpuIds.Order(StringComparer.Ordinal).ToList(), "known GPUs")
        + " (built in, declared under gpus, or the newGpu of a gpu-generation event)";

    private void CheckHasCapacity(string pointer, JsonObject provider)
    {
        var fleet = provider["fleet"];
        if (fleet is JsonArray { Count: 0 } or null && !provider.ContainsKey("enters"))
        {
            Add(fleet is null ? pointer : Pointer.Append(pointer, "fleet"),
                Str(provider, "id") is { } id ? $"provider '{id}' has no GPUs and no 'enters' date" : "the provider has no GPUs and no 'enters' date",
                "give it a fleet (e.g. fleet: [{gpu: H100, count: 1000}]), or an enters date if it joins the market later");
        }
    }

    private void CheckEntersInHorizon(string pointer, JsonObject provider)
    {
        // An entry after the horizon is allowed: a run shortened with --ticks simply ends before it.
        if (_horizon is null || JsonText.Date(provider["enters"]) is not { } enters || enters >= _horizon.Start)
        {
            return;
        }
        Add(Pointer.Append(pointer, "enters"), $"enters {enters:yyyy-MM-dd} is before the start ({_horizon.Start:yyyy-MM-dd})",
            $"use a date from {_horizon.Start:yyyy-MM-dd} on; a provider present from the start needs no enters date");
    }
}
