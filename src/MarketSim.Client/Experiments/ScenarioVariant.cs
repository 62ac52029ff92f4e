namespace MarketSim.Client;

/// <summary>A variant of an experiment: a name and how its scenario is made from the base scenario and the
/// replication's seed. <see cref="Make"/> is handed a fresh copy of the base with the seed already set, so a variant
/// may change the copy in place; it must keep the seed (common random numbers).</summary>
public sealed class ScenarioVariant
{
    private readonly Func<Scenario, ulong, Scenario> _make;

    /// <param name="name">The variant's name in the results.</param>
    /// <param name="make">The variant's scenario from a copy of the base (with the replication's seed set) and that seed.</param>
    public ScenarioVariant(string name, Func<Scenario, ulong, Scenario> make)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _make = make;
    }

    public string Name { get; }

    /// <summary>The base scenario as it is.</summary>
    public static ScenarioVariant Base(string name) => new(name, (scenario, _) => scenario);

    /// <summary>The base scenario changed by <paramref name="change"/> (on a copy).</summary>
    public static ScenarioVariant Changing(string name, Action<Scenario> change) =>
        new(name, (scenario, _) => { change(scenario); return scenario; });

    /// <summary>The base scenario with PATH=VALUE overrides, as <c>marketsim run --set</c> and an experiment file's
    /// <c>set</c> apply them; invalid overrides throw <see cref="ScenarioException"/> with their problems.</summary>
    public static ScenarioVariant WithOverrides(string name, params IReadOnlyList<string> overrides) =>
        new(name, (scenario, _) =>
        {
            var result = ScenarioLoader.LoadFromText(ScenarioWriter.ToYaml(scenario), $"variant '{name}'", overrides);
            return result.Ok ? result.Scenario! : throw new ScenarioException(result.Problems);
        });

    /// <summary>The scenario of this variant for one replication: a copy of <paramref name="baseScenario"/> with
    /// <paramref name="seed"/>, changed by the variant.</summary>
    /// <exception cref="InvalidOperationException">The variant changed the seed.</exception>
    public Scenario Make(Scenario baseScenario, ulong seed)
    {
        var copy = ScenarioJson.Deserialize(ScenarioJson.Serialize(baseScenario));
        copy.Seed = seed;
        var scenario = _make(copy, seed);
        if (scenario.Seed != seed)
            throw new InvalidOperationException($"variant '{Name}' changed the seed to {scenario.Seed} (it must run with the replication's seed {seed}: common random numbers)");
        return scenario;
    }

    public override string ToString() => Name;
}
