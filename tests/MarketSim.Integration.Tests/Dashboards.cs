using System.Text.Json.Nodes;

namespace MarketSim.Integration.Tests;

/// <summary>The Grafana dashboards in dashboards/ and the PromQL of their panels.</summary>
public static class Dashboards
{
    public sealed record Query(string Dashboard, string Panel, string RefId, string Expr)
    {
        public override string ToString() => $"dashboard '{Dashboard}', panel '{Panel}', query {RefId}: {Expr}";
    }

    public static IReadOnlyList<string> Files =>
        [.. Directory.GetFiles(Repository.PathOf("dashboards"), "*.json").Order(StringComparer.Ordinal)];

    public static JsonObject Load(string file) =>
        JsonNode.Parse(File.ReadAllText(file))?.AsObject() ?? throw new InvalidDataException($"{file} is not a JSON object");

    /// <summary>Every target expression of every panel (rows' nested panels included) of every dashboard.</summary>
    public static IEnumerable<Query> Queries() =>
        from file in Files
        let dashboard = Load(file)
        from panel in Panels(dashboard["panels"]?.AsArray())
        from target in panel["targets"]?.AsArray() ?? []
        let expr = target?["expr"]?.GetValue<string>()
        where !string.IsNullOrWhiteSpace(expr)
        select new Query(dashboard["title"]?.GetValue<string>() ?? Path.GetFileName(file),
            panel["title"]?.GetValue<string>() ?? "(untitled)", target?["refId"]?.GetValue<string>() ?? "?", expr);

    public static IEnumerable<JsonObject> Panels(JsonArray? panels)
    {
        foreach (var p in panels ?? [])
        {
            if (p is not JsonObject panel) continue;
            yield return panel;
            foreach (var nested in Panels(panel["panels"]?.AsArray())) yield return nested;
        }
    }

    /// <summary>An expression with the dashboard variables replaced as Grafana would for one run and provider.</summary>
    public static string Substitute(string expr, string run, string provider, string rateInterval = "1m") => expr
        .Replace("${__rate_interval}", rateInterval).Replace("$__rate_interval", rateInterval)
        .Replace("${__interval}", "15s").Replace("$__interval", "15s")
        .Replace("${__range}", "5m").Replace("$__range", "5m")
        .Replace("${run}", run).Replace("$run", run)
        .Replace("${provider}", provider).Replace("$provider", provider);
}
