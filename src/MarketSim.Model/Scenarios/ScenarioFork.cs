using System.Text.Json;
using MarketSim.Model.Engine;

namespace MarketSim.Model.Scenarios;

/// <summary>The scenario a fork of a run continues with, shared by the Orleans engine (SimulationRun.ForkAsync) and
/// the reference engine (the CLI's fork command).</summary>
public static class ScenarioFork
{
    /// <summary>The checkpoint's scenario with overrides applied and validated. The state at the checkpoint (cash,
    /// fleets, contracts, what learners learned) carries on; a changed strategy or pricing of a provider becomes a
    /// strategy-change event at the fork's first tick, visible in the resolved scenario.</summary>
    /// <returns>The fork's scenario, or null with the problems of the overrides.</returns>
    public static ScenarioLoadResult Create(RunCheckpoint checkpoint, IReadOnlyList<string>? overrides)
    {
        var original = ScenarioJson.Deserialize(checkpoint.ScenarioJson);
        if (overrides is null || overrides.Count == 0) return new ScenarioLoadResult(original, []);
        var result = ScenarioLoader.LoadFromText(ScenarioWriter.ToYaml(original), "checkpoint scenario", overrides);
        if (!result.Ok) return result;
        var fork = result.Scenario!;
        foreach (var provider in fork.Providers)
        {
            var before = original.Providers.FirstOrDefault(p => p.Id == provider.Id);
            if (before is null) continue;
            var pricingChanged = JsonSerializer.Serialize(before.Pricing, ScenarioJson.Options) != JsonSerializer.Serialize(provider.Pricing, ScenarioJson.Options);
            if (before.Strategy == provider.Strategy && !pricingChanged) continue;
            fork.Events.Add(new EventSpec
            {
                Kind = "strategy-change", Tick = checkpoint.NextTick, Provider = provider.Id,
                Strategy = provider.Strategy, Pricing = provider.Pricing,
            });
            provider.Strategy = before.Strategy;
            provider.Pricing = before.Pricing;
        }
        return new ScenarioLoadResult(fork, []);
    }
}
