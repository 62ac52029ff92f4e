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
        ["tokens_wanted"] = "tokens customers wanted from their first choices over the run",
        ["tokens_lost"] = "tokens wanted that no provider served, over the run",
        ["second_choice_tokens"] = "tokens served by a customer's next choice because its first choice was full, over the run",
        ["served_share"] = "served / wanted tokens over the run (0..1)",
        ["min_year_served_share"] = "the lowest served share of the run's years (365 days from the start each)",
        ["exits"] = "providers that exited",
        ["entries"] = "providers that entered",
        ["active_providers_final"] = "active providers at the last tick",
        ["hhi_final"] = "Herfindahl-Hirschman index (0..10000) at the last tick",
        ["switches"] = "customer switches over the run",
        ["calvano_profit_gain"] = "calvano strategy: the learners' mean profit gain Delta = (profit - Nash) / (monopoly - Nash) over the last 100,000 ticks (or half the run)",
        ["calvano_mean_price"] = "calvano strategy: the learners' mean list price over the same ticks",
        ["calvano_converged"] = "calvano strategy: 1 if every learner's greedy strategy was unchanged for the last 100,000 ticks, else 0",
    };

    /// <summary>Metrics per capability level, written <c>prefix + label</c> (the scenario's <c>market.capabilityLevels</c>,
    /// or by default <c>frontier-start</c>, <c>mid-start</c>, <c>small-start</c>).</summary>
    public static readonly IReadOnlyDictionary<string, string> PerCapability = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["final_capability_price_"] = "the lowest list price of a model at least as good as the level, at the last tick",
        ["final_capability_paid_"] = "the lowest average price paid for a model at least as good as the level that sold, at the last tick",
        ["capability_price_change_"] = "relative change of the level's lowest list price from the first to the last tick (end / start - 1)",
    };

    /// <summary>The capability level a per-capability metric names, or null when the metric is not one.</summary>
    private static (string Prefix, string Label)? CapabilityMetric(string metric) =>
        PerCapability.Keys.FirstOrDefault(p => metric.StartsWith(p, StringComparison.Ordinal) && metric.Length > p.Length) is { } prefix
            ? (prefix, metric[prefix.Length..]) : null;

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
        if (CapabilityMetric(metric) is var (_, label))
        {
            if (scenario is null) return null;
            var labels = new MarketSetup(scenario).CapabilityLevels.Select(l => l.Label).ToList();
            return labels.Contains(label, StringComparer.Ordinal) ? null
                : ($"unknown capability level '{label}' in metric '{metric}'", Model.Scenarios.Loading.PositionedYaml.SuggestionHint(label, labels, "capability levels of the scenario"));
        }
        var colon = metric.IndexOf(':');
        if (colon < 0)
        {
            var all = Market.Keys.Concat(PerCapability.Keys.Select(k => k + "<level>")).Concat(PerProvider.Keys.Select(k => k + ":<provider>")).ToList();
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
        if (CapabilityMetric(metric) is var (capabilityPrefix, level))
        {
            if (!s.GetProperty("capabilityPrice").TryGetProperty(level, out var entry)) return null;
            return capabilityPrefix switch
            {
                "final_capability_price_" => Num(entry.GetProperty("listed").GetProperty("end")),
                "final_capability_paid_" => Num(entry.GetProperty("bought").GetProperty("end")),
                _ => Num(entry.GetProperty("listed").GetProperty("change")),
            };
        }
        if (metric.StartsWith("mean_price_index_", StringComparison.Ordinal))
            return MeanColumn(Path.Combine(runDirectory, RunFiles.MarketCsv), "price_index_" + metric["mean_price_index_".Length..]);
        switch (metric)
        {
            case "total_consumer_surplus_usd": return Num(totals.GetProperty("consumerSurplusUsd"));
            case "total_spend_usd": return Num(totals.GetProperty("spendUsd"));
            case "total_profit_usd": return s.GetProperty("providers").EnumerateArray().Sum(p => p.GetProperty("profitUsd").GetDouble());
            case "tokens_served": return Num(totals.GetProperty("tokensServed"));
            case "tokens_wanted": return Num(totals.GetProperty("tokensWanted"));
            case "tokens_lost": return Num(totals.GetProperty("tokensLost"));
            case "second_choice_tokens": return Num(totals.GetProperty("secondChoiceTokens"));
            case "served_share": return Num(totals.GetProperty("servedShare"));
            case "min_year_served_share": return Num(totals.GetProperty("minYearServedShare"));
            case "exits": return Num(totals.GetProperty("exits"));
            case "entries": return Num(totals.GetProperty("entries"));
            case "active_providers_final": return Num(totals.GetProperty("activeProvidersAtEnd"));
            case "hhi_final": return Num(s.GetProperty("hhi").GetProperty("end"));
            case "switches": return Num(totals.GetProperty("switches"));
            case "calvano_profit_gain" or "calvano_mean_price" or "calvano_converged":
                if (!s.TryGetProperty("calvano", out var calvano)) return null;
                return metric switch
                {
                    "calvano_profit_gain" => Num(calvano.GetProperty("profitGain")),
                    "calvano_mean_price" => Num(calvano.GetProperty("meanPrice")),
                    _ => calvano.GetProperty("converged").GetBoolean() ? 1 : 0,
                };
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
