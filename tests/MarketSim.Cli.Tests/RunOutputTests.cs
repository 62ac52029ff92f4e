using System.Text.Json;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests;

/// <summary>One run of the tiny fixture (60 ticks, 3 providers offering 5 tiers between them), shared by the
/// tests that check its files against each other.</summary>
public sealed class TinyRun : IAsyncLifetime
{
    public const int Ticks = 60;
    /// <summary>lab-a: frontier + mid; lab-b: mid + small; lab-c: small.</summary>
    public const int OfferedTiers = 5;

    public string Directory { get; } = Path.Combine(TempDirectory(), "run");
    public CliResult Result { get; private set; } = null!;
    public JsonElement Summary { get; private set; }
    public List<Dictionary<string, string>> Market { get; private set; } = [];
    public List<Dictionary<string, string>> Providers { get; private set; } = [];
    public List<Dictionary<string, string>> Segments { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Result = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--out", Directory);
        Assert.True(Result.ExitCode == 0, Result.Err);
        Summary = ReadJson(Path.Combine(Directory, "summary.json"));
        Market = ReadCsv(Path.Combine(Directory, "market.csv"));
        Providers = ReadCsv(Path.Combine(Directory, "providers.csv"));
        Segments = ReadCsv(Path.Combine(Directory, "segments.csv"));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class RunOutputTests(TinyRun run) : IClassFixture<TinyRun>
{
    [Fact]
    public void Writes_all_five_files()
    {
        foreach (var file in new[] { "summary.json", "market.csv", "providers.csv", "segments.csv", "scenario.resolved.yaml" })
            Assert.True(File.Exists(Path.Combine(run.Directory, file)), file);
        Assert.Empty(System.IO.Directory.GetFiles(run.Directory, "*.tmp"));
    }

    [Fact]
    public void Summary_describes_the_run()
    {
        var s = run.Summary;
        Assert.True(s.GetProperty("completed").GetBoolean());
        Assert.Equal(TinyRun.Ticks, s.GetProperty("ticksDone").GetInt32());
        Assert.Equal(TinyRun.Ticks, s.GetProperty("ticks").GetInt32());
        Assert.Equal("tiny", s.GetProperty("scenario").GetString());
        Assert.Equal("reference", s.GetProperty("engine").GetString());
        Assert.Equal(7UL, s.GetProperty("seed").GetUInt64());
        Assert.Equal("2024-01-01", s.GetProperty("startDate").GetString());
        Assert.Equal("2024-02-29", s.GetProperty("endDate").GetString());
        Assert.Matches("^[0-9a-f]{64}$", s.GetProperty("fingerprint").GetString());
        Assert.Equal(["lab-a", "lab-b", "lab-c"], s.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public void Market_csv_has_one_row_per_tick_in_order()
    {
        Assert.Equal(TinyRun.Ticks, run.Market.Count);
        Assert.Equal(Enumerable.Range(0, TinyRun.Ticks).Select(t => (long)t), run.Market.Select(r => Int(r["tick"])));
        Assert.Equal("2024-01-01", run.Market[0]["date"]);
        Assert.Equal("2024-02-29", run.Market[^1]["date"]);
    }

    [Fact]
    public void Price_index_in_summary_is_the_first_and_last_row_of_market_csv()
    {
        foreach (var tier in new[] { "frontier", "mid", "small" })
        {
            var index = run.Summary.GetProperty("priceIndex").GetProperty(tier);
            Assert.Equal(Real(run.Market[0][$"price_index_{tier}"]), index.GetProperty("start").GetDouble());
            Assert.Equal(Real(run.Market[^1][$"price_index_{tier}"]), index.GetProperty("end").GetDouble());
            Assert.InRange(index.GetProperty("end").GetDouble(), 0.001, 1000);
        }
        Assert.Equal(Real(run.Market[^1]["hhi"]), run.Summary.GetProperty("hhi").GetProperty("end").GetDouble());
    }

    [Fact]
    public void Totals_in_summary_are_the_sums_of_market_csv()
    {
        var totals = run.Summary.GetProperty("totals");
        Assert.Equal(run.Market.Sum(r => Int(r["tokens_served"])), totals.GetProperty("tokensServed").GetInt64());
        Assert.Equal(run.Market.Sum(r => Dec(r["revenue_usd"])), totals.GetProperty("revenueUsd").GetDecimal());
        Assert.Equal(run.Market.Sum(r => Dec(r["customers_paid_usd"])), totals.GetProperty("spendUsd").GetDecimal());
        Assert.Equal(run.Market.Sum(r => Dec(r["consumer_surplus_usd"])), totals.GetProperty("consumerSurplusUsd").GetDecimal());
        Assert.Equal(run.Market.Sum(r => Int(r["switches"])), totals.GetProperty("switches").GetInt64());
        var negotiations = totals.GetProperty("negotiations");
        Assert.Equal(run.Market.Sum(r => Int(r["negotiations_accepted"])), negotiations.GetProperty("accepted").GetInt64());
        Assert.Equal(run.Market.Sum(r => Int(r["negotiations_agreed"])), negotiations.GetProperty("agreed").GetInt64());
        Assert.Equal(run.Market.Sum(r => Int(r["negotiations_failed"])), negotiations.GetProperty("failed").GetInt64());
        Assert.Equal(run.Market.Sum(r => Int(r["negotiations_rejected_capacity"])), negotiations.GetProperty("rejectedCapacity").GetInt64());
        Assert.True(totals.GetProperty("tokensServed").GetInt64() > 0);
        Assert.True(negotiations.GetProperty("total").GetInt64() > 0);
        // Money is conserved: what customers paid is what providers received.
        Assert.Equal(totals.GetProperty("spendUsd").GetDecimal(), totals.GetProperty("revenueUsd").GetDecimal());
    }

    [Fact]
    public void Wanted_lost_and_served_share_in_summary_are_the_sums_of_market_csv()
    {
        var totals = run.Summary.GetProperty("totals");
        var wanted = run.Market.Sum(r => Int(r["wanted_tokens"]));
        var lost = run.Market.Sum(r => Int(r["lost_tokens"]));
        Assert.Equal(wanted, totals.GetProperty("tokensWanted").GetInt64());
        Assert.Equal(lost, totals.GetProperty("tokensLost").GetInt64());
        Assert.Equal(run.Market.Sum(r => Int(r["second_choice_tokens"])), totals.GetProperty("secondChoiceTokens").GetInt64());
        Assert.Equal(run.Market.Sum(r => Int(r["served_tokens"])), wanted - lost);
        Assert.Equal(totals.GetProperty("tokensServed").GetInt64(), wanted - lost);
        Assert.True(wanted > 0);
        Assert.Equal((wanted - lost) / (double)wanted, totals.GetProperty("servedShare").GetDouble());

        // 60 daily ticks: one year of the run, whose served share is the run's.
        var years = totals.GetProperty("years").EnumerateArray().ToList();
        var year = Assert.Single(years);
        Assert.Equal(1, year.GetProperty("year").GetInt32());
        Assert.Equal(TinyRun.Ticks, year.GetProperty("ticks").GetInt32());
        Assert.Equal(run.Market[0]["date"], year.GetProperty("from").GetString());
        Assert.Equal(run.Market[^1]["date"], year.GetProperty("to").GetString());
        Assert.Equal(wanted, year.GetProperty("tokensWanted").GetInt64());
        Assert.Equal(lost, year.GetProperty("tokensLost").GetInt64());
        Assert.Equal(totals.GetProperty("servedShare").GetDouble(), totals.GetProperty("minYearServedShare").GetDouble());
    }

    [Fact]
    public void Capability_prices_in_summary_are_the_first_and_last_row_of_market_csv()
    {
        var levels = run.Summary.GetProperty("capabilityPrice").EnumerateObject().ToList();
        // No levels in the scenario: the best quality of each tier at the start.
        Assert.Equal(["frontier-start", "mid-start", "small-start"], levels.Select(l => l.Name));
        Assert.Equal(0.92, levels[0].Value.GetProperty("quality").GetDouble());
        foreach (var level in levels)
            foreach (var kind in new[] { "listed", "bought" })
            {
                var entry = level.Value.GetProperty(kind);
                var column = $"capability_price_{level.Name}_{kind}";
                var start = Real(run.Market[0][column]);
                var end = Real(run.Market[^1][column]);
                Assert.Equal(start, entry.GetProperty("start").GetDouble());
                Assert.Equal(end, entry.GetProperty("end").GetDouble());
                Assert.Equal(end / start - 1, entry.GetProperty("change").GetDouble(), 12);
                Assert.True(end > 0, column);
            }
    }

    [Fact]
    public void Sweep_metrics_of_service_and_capability_read_the_run()
    {
        var totals = run.Summary.GetProperty("totals");
        var wanted = run.Market.Sum(r => Int(r["wanted_tokens"]));
        var lost = run.Market.Sum(r => Int(r["lost_tokens"]));
        Assert.Equal((double)lost, MarketSim.Cli.Experiments.MetricVocabulary.Compute("tokens_lost", run.Directory));
        Assert.Equal((double)wanted, MarketSim.Cli.Experiments.MetricVocabulary.Compute("tokens_wanted", run.Directory));
        Assert.Equal((wanted - lost) / (double)wanted, MarketSim.Cli.Experiments.MetricVocabulary.Compute("served_share", run.Directory));
        Assert.Equal(totals.GetProperty("minYearServedShare").GetDouble(), MarketSim.Cli.Experiments.MetricVocabulary.Compute("min_year_served_share", run.Directory));
        Assert.Equal((double)run.Market.Sum(r => Int(r["second_choice_tokens"])),
            MarketSim.Cli.Experiments.MetricVocabulary.Compute("second_choice_tokens", run.Directory));
        Assert.Equal(Real(run.Market[^1]["capability_price_mid-start_listed"]),
            MarketSim.Cli.Experiments.MetricVocabulary.Compute("final_capability_price_mid-start", run.Directory));
        Assert.Equal(Real(run.Market[^1]["capability_price_mid-start_bought"]),
            MarketSim.Cli.Experiments.MetricVocabulary.Compute("final_capability_paid_mid-start", run.Directory));
        Assert.Equal(Real(run.Market[^1]["capability_price_frontier-start_listed"]) / Real(run.Market[0]["capability_price_frontier-start_listed"]) - 1,
            MarketSim.Cli.Experiments.MetricVocabulary.Compute("capability_price_change_frontier-start", run.Directory)!.Value, 12);
        Assert.Null(MarketSim.Cli.Experiments.MetricVocabulary.Compute("final_capability_price_no-such-level", run.Directory));
    }

    [Fact]
    public void Revenue_in_market_csv_adds_up_to_the_providers_cumulative_revenue()
    {
        var providers = run.Summary.GetProperty("providers").EnumerateArray().ToList();
        Assert.Equal(run.Market.Sum(r => Dec(r["revenue_usd"])), providers.Sum(p => p.GetProperty("revenueUsd").GetDecimal()));
        foreach (var p in providers)
        {
            Assert.Equal(p.GetProperty("revenueUsd").GetDecimal() - p.GetProperty("costUsd").GetDecimal(), p.GetProperty("profitUsd").GetDecimal());
            Assert.Equal(JsonValueKind.Null, p.GetProperty("exitedTick").ValueKind);
        }
        Assert.Equal(1.0, providers.Sum(p => p.GetProperty("tokenShare").GetDouble()), 9);
        Assert.Equal(1.0, providers.Sum(p => p.GetProperty("revenueShare").GetDouble()), 9);
    }

    [Fact]
    public void Providers_csv_has_a_row_per_tick_and_offered_tier_that_agrees_with_the_summary()
    {
        Assert.Equal(TinyRun.Ticks * TinyRun.OfferedTiers, run.Providers.Count);
        Assert.Equal(["lab-a/frontier", "lab-a/mid", "lab-b/mid", "lab-b/small", "lab-c/small"],
            run.Providers.Where(r => r["tick"] == "0").Select(r => $"{r["provider"]}/{r["tier"]}"));
        foreach (var p in run.Summary.GetProperty("providers").EnumerateArray())
        {
            var id = p.GetProperty("id").GetString();
            // Provider-level columns repeat on each of its tier rows: take one row per tick.
            var perTick = run.Providers.Where(r => r["provider"] == id).GroupBy(r => r["tick"]).Select(g => g.First()).ToList();
            Assert.Equal(TinyRun.Ticks, perTick.Count);
            Assert.Equal(p.GetProperty("revenueUsd").GetDecimal(), perTick.Sum(r => Dec(r["revenue_usd"])));
            Assert.Equal(p.GetProperty("profitUsd").GetDecimal(), perTick.Sum(r => Dec(r["profit_usd"])));
            Assert.Equal(p.GetProperty("cashUsd").GetDecimal(), Dec(perTick[^1]["cash_usd"]));
            Assert.Equal(p.GetProperty("tokenShare").GetDouble(), Real(perTick[^1]["share_tokens"]));
            // The tiers' revenue makes up the provider's revenue, tick by tick.
            foreach (var tick in run.Providers.Where(r => r["provider"] == id).GroupBy(r => r["tick"]))
                Assert.Equal(Dec(tick.First()["revenue_usd"]), tick.Sum(r => Dec(r["tier_revenue_usd"])));
        }
        foreach (var r in run.Providers)
        {
            Assert.Equal("true", r["active"]);
            Assert.True(Real(r["list_price"]) > 0);
            Assert.True(Int(r["tokens_served"]) <= Int(r["tier_capacity_tokens"]));
            var margin = (Real(r["list_price"]) - Real(r["unit_cost"])) / Real(r["list_price"]);
            Assert.Equal(margin, Real(r["margin"]), 12);
        }
    }

    [Fact]
    public void Segments_csv_has_four_rows_per_tick_that_add_up_to_the_market()
    {
        Assert.Equal(TinyRun.Ticks * 4, run.Segments.Count);
        Assert.Equal(["voice", "nlp", "healthcare", "longtail"], run.Segments.Take(4).Select(r => r["segment"]));
        foreach (var tick in run.Segments.GroupBy(r => r["tick"]))
        {
            var market = run.Market.Single(r => r["tick"] == tick.Key);
            Assert.Equal(Dec(market["customers_paid_usd"]), tick.Sum(r => Dec(r["spend_usd"])));
            Assert.Equal(Dec(market["consumer_surplus_usd"]), tick.Sum(r => Dec(r["consumer_surplus_usd"])));
            Assert.Equal(Int(market["tokens_served"]), tick.Sum(r => Int(r["served_tokens"])));
            Assert.All(tick, r => Assert.True(Int(r["served_tokens"]) <= Int(r["demand_tokens"])));
        }
    }

    [Fact]
    public async Task Resolved_scenario_reproduces_the_run()
    {
        var again = Path.Combine(TempDirectory(), "again");
        var result = await RunAsync("run", Path.Combine(run.Directory, "scenario.resolved.yaml"), "--engine", "reference", "--out", again, "--quiet");
        Assert.True(result.ExitCode == 0, result.Err);
        var summary = ReadJson(Path.Combine(again, "summary.json"));
        Assert.Equal(run.Summary.GetProperty("fingerprint").GetString(), summary.GetProperty("fingerprint").GetString());
        Assert.Equal(File.ReadAllText(Path.Combine(run.Directory, "market.csv")), File.ReadAllText(Path.Combine(again, "market.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(run.Directory, "scenario.resolved.yaml")), File.ReadAllText(Path.Combine(again, "scenario.resolved.yaml")));
    }

    [Fact]
    public void Prints_progress_lines_and_the_summary_table_when_not_a_terminal()
    {
        var o = run.Result.Out;
        Assert.Contains("tick  3/60    5%  2024-01-03", o);
        Assert.Contains("tick 60/60  100%  2024-02-29", o);
        Assert.Contains("Price index, US$ per million tokens", o);
        Assert.Contains("Price of a fixed capability", o);
        Assert.Contains("frontier-start", o);
        Assert.Contains("served share (lowest year)", o);
        foreach (var id in new[] { "lab-a", "lab-b", "lab-c" }) Assert.Contains(id, o);
        Assert.Contains(run.Summary.GetProperty("fingerprint").GetString()!, o);
        Assert.Contains($"wrote {run.Directory}", o);
        Assert.DoesNotContain("\u001b[", o);
    }
}
