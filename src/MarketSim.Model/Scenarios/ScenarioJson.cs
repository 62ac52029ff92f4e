using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketSim.Model.Scenarios;

/// <summary>JSON form of a scenario, used to hand a resolved scenario to every agent of a run.</summary>
public static class ScenarioJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(Scenario scenario) => JsonSerializer.Serialize(scenario, Options);

    public static Scenario Deserialize(string json) =>
        JsonSerializer.Deserialize<Scenario>(json, Options) ?? throw new InvalidDataException("empty scenario");
}
