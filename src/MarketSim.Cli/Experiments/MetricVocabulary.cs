using System.Text.Json;
using MarketSim.Cli.Output;
using MarketSim.Model.Engine;

namespace MarketSim.Cli.Experiments;

/// <summary>
/// The metrics an experiment compares, each computed from one run's summary.json (and, for means over time, its
/// market.csv). Money in US$, prices in US$ per million tokens, shares 0..1. docs/EXPERIMENTS.md lists them.
/// </summary>
public static class MetricVocabulary
{
    /// <summary>Metrics of the whole market: name and meaning.</summary>
    public static readonly IReadOnlyDictionary<string, string> Market = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["final_price_index_frontier"] = "price index of the frontier tier at the last tick",
        ["final_price_index_mid"] = "price index of the mid tier at the last tick",
        ["final_price_index_small"] = "price index of the small tier at the last tick",
        ["mean_price_index_frontier"] = "mean over ticks of the frontier price index",
        ["mean_price_index_mid"] = "mean over ticks of the mid price index",
        ["mean_price_index_small"] = "mean over ticks of the small price index",
        ["total_consumer_surplus_usd"] = "consumer surplus over the run",
        ["total_spend_usd"] = "what customers paid over the run",
        ["total_profit_usd"] = "profit of all providers over the run",
        ["tokens_served"] = "tokens served over the run",
        ["exits"] = "providers that exited",
        ["entries"] = "providers that entered",
        ["active_providers_final"] = "active providers at the last tick",
        ["hhi_final"] = "Herfindahl-Hirschman index (0..10000) at the last tick",
        ["switches"] = "customer switches over the run",
    };

    /// <summary>Per-provider metrics, written <c>name:provider-id</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> PerProvider = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["profit_usd"] = "the provider's profit over the run",
        ["revenue_usd"] = "the provider's revenue over the run",
        ["final_cash_usd"] = "the provider's cash at the last tick",
        ["final_share"] = "the provider's share of tokens at the last tick (0..1)",
        ["final_revenue_share"] = "the provider's share of revenue at the last tick (0..1)",
        ["exited"] = "1 if the provider exited, else 0",
    };

    public static readonly string[] Default =
        ["final_price_index_mid", "mean_price_index_mid", "total_consumer_surplus_usd", "total_profit_usd", "exits", "hhi_final", "switches"];

    /// <summary>A problem with a metric name (unknown, bad provider), or null when it is fine.</summary>
    public static (string Message, string Hint)? Check(string metric, Scenario? scenario)
    {
        if (Market.ContainsKey(metric)) return null;
        var colon = metric.IndexOf(':');
        if (colon < 0)
        {
            var all = Market.Keys.Concat(PerProvider.Keys.Select(k => k + ":<provider>")).ToList();
            return ($"unknown metric '{metric}'", Model.Scenarios.Loading.PositionedYaml.SuggestionHint(metric, all, "metrics"));
        }
        var (name, provider) = (metric[..colon], metric[(colon + 1)..]);
        if (!PerProvider.ContainsKey(name))
            return ($"unknown per-provider metric '{name}'", Model.Scenarios.Loading.PositionedYaml.SuggestionHint(name, PerProvider.Keys.ToList(), "per-provider metrics"));
        if (scenario is null) return null;
        var ids = scenario.Providers.Select(p => p.Id)
            .Concat(scenario.Events.Where(e => e.Provider is not null).Select(e => e.Provider!)).Distinct().ToList();
        return ids.Contains(provider, StringComparer.Ordinal) ? null
            : ($"unknown provider '{provider}' in metric '{metric}'", Model.Scenarios.Loading.PositionedYaml.SuggestionHint(provider, ids, "providers of the scenario"));
    }

    /// <summary>The value of a metric for a finished run folder; null when undefined (e.g. no mid-tier sales).</summary>
    public static double? Compute(string metric, string runDirectory)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, RunFiles.SummaryJson)));
        var s = doc.RootElement;
        var totals = s.GetProperty("totals");
        double? Num(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
        if (metric.StartsWith("final_price_index_", StringComparison.Ordinal))
            return Num(s.GetProperty("priceIndex").GetProperty(metric["final_price_index_".Length..]).GetProperty("end"));
        if (metric.StartsWith("mean_price_index_", StringComparison.Ordinal))
            return MeanColumn(Path.Combine(runDirectory, RunFiles.MarketCsv), "price_index_" + metric["mean_price_index_".Length..]);
        switch (metric)
        {
            case "total_consumer_surplus_usd": return Num(totals.GetProperty("consumerSurplusUsd"));
            case "total_spend_usd": return Num(totals.GetProperty("spendUsd"));
            case "total_profit_usd": return s.GetProperty("providers").EnumerateArray().Sum(p => p.GetProperty("profitUsd").GetDouble());
            case "tokens_served": return Num(totals.GetProperty("tokensServed"));
            case "exits": return Num(totals.GetProperty("exits"));
            case "entries": return Num(totals.GetProperty("entries"));
            case "active_providers_final": return Num(totals.GetProperty("activeProvidersAtEnd"));
            case "hhi_final": return Num(s.GetProperty("hhi").GetProperty("end"));
            case "switches": return Num(totals.GetProperty("switches"));
        }
        var colon = metric.IndexOf(':');
        if (colon < 0) throw new ArgumentException($"unknown metric '{metric}'");
        var (name, id) = (metric[..colon], metric[(colon + 1)..]);
        var provider = s.GetProperty("providers").EnumerateArray().FirstOrDefault(p => p.GetProperty("id").GetString() == id);
        if (provider.ValueKind != JsonValueKind.Object) return null;   // an entrant that never entered
        return name switch
        {
            "profit_usd" => provider.GetProperty("profitUsd").GetDouble(),
            "revenue_usd" => provider.GetProperty("revenueUsd").GetDouble(),
            "final_cash_usd" => provider.GetProperty("cashUsd").GetDouble(),
            "final_share" => provider.GetProperty("tokenShare").GetDouble(),
            "final_revenue_share" => provider.GetProperty("revenueShare").GetDouble(),
            "exited" => provider.GetProperty("exitedTick").ValueKind == JsonValueKind.Number ? 1 : 0,
            _ => throw new ArgumentException($"unknown metric '{metric}'"),
        };
    }

    /// <summary>Provider ids of a finished run (for compare's default metrics).</summary>
    public static IReadOnlyList<string> ProviderIds(string runDirectory)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, RunFiles.SummaryJson)));
        return [.. doc.RootElement.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("id").GetString()!)];
    }

    private static double? MeanColumn(string csv, string column)
    {
        var series = ReadColumn(csv, column);
        var defined = series.Where(x => x is not null).Select(x => x!.Value).ToList();
        return defined.Count == 0 ? null : defined.Average();
    }

    /// <summary>One column of a run CSV as numbers (null where empty).</summary>
    public static List<double?> ReadColumn(string csv, string column) => CsvTable.Read(csv).Numbers(column);

    /// <summary>Tier names valid in final_/mean_price_index_ metrics.</summary>
    public static IReadOnlyList<string> TierNames => Tiers.Names;
}
