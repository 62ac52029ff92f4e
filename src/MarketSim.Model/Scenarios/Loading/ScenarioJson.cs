using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketSim.Model.Scenarios.Loading;

/// <summary>System.Text.Json settings of the scenario object model: camelCase keys, dates as YYYY-MM-DD.</summary>
internal static class ScenarioJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };
}
