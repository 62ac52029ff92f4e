using System.Text;
using System.Text.Json;
using static MarketSim.Cli.Output.Column;
using MarketSim.Model.Economics;
using MarketSim.Model.Engine;

namespace MarketSim.Cli.Output;

/// <summary>
/// The files of a run in its output folder: <c>market.csv</c>, <c>providers.csv</c> and <c>segments.csv</c> written
/// one tick at a time and flushed after each (their columns and types declared here once), their Parquet copies from
/// the same rows a row group at a time (so that a long run never holds its rows in memory), completed at the end,
/// <c>summary.json</c> written atomically at the end, and <c>scenario.resolved.yaml</c>. Only the ticks of the run's
/// <see cref="RunSampling"/> are written.
/// </summary>
public sealed class RunFiles : IDisposable, IAsyncDisposable
{
    public const string MarketCsv = "market.csv";
    public const string ProvidersCsv = "providers.csv";
    public const string SegmentsCsv = "segments.csv";
    public const string SummaryJson = "summary.json";
    public const string ResolvedScenario = "scenario.resolved.yaml";

    /// <summary>The columns of market.csv: fixed ones, then the listed and bought price of each capability level.</summary>
    public static Column[] MarketColumns(MarketSetup setup) =>
    [
        Int("tick"), Date("date"), .. Tiers.Names.Select(t => Real($"price_index_{t}")), Real("hhi"), Int("active_providers"),
        Int("entries"), Int("exits"), Int("tokens_served"), Usd("revenue_usd"), Usd("customers_paid_usd"), Usd("consumer_surplus_usd"),
        Int("switches"), Int("negotiations_accepted"), Int("negotiations_agreed"), Int("negotiations_failed"),
        Int("negotiations_rejected_capacity"), Real("mean_rounds"), Int("wanted_tokens"), Int("served_tokens"), Int("lost_tokens"),
        Real("served_share"), Int("second_choice_tokens"),
        .. setup.CapabilityLevels.SelectMany(l => new[] { Real($"capability_price_{l.Label}_listed"), Real($"capability_price_{l.Label}_bought") }),
    ];

    /// <summary>The columns of providers.csv: a row per provider and offered tier.</summary>
    public static readonly Column[] ProvidersColumns =
    [
        Int("tick"), Date("date"), Text("provider"), Text("tier"), Real("list_price"), Real("unit_cost"), Real("margin"),
        Int("tokens_served"), Usd("tier_revenue_usd"), Int("tier_capacity_tokens"), Usd("revenue_usd"), Usd("cost_usd"),
        Usd("profit_usd"), Usd("cash_usd"), Real("utilisation"), Int("capacity_tokens"), Real("share_tokens"),
        Real("share_revenue"), Bool("active"), Real("quality"), Int("demand_tokens"), Int("gpus"), Int("rented_gpus"),
    ];

    /// <summary>The columns of segments.csv: a row per customer segment.</summary>
    public static readonly Column[] SegmentsColumns =
    [
        Int("tick"), Date("date"), Text("segment"), Int("active_customers"), Int("arrivals"), Int("demand_tokens"),
        Int("served_tokens"), Usd("spend_usd"), Usd("consumer_surplus_usd"), Int("switches"), Int("under_contract"),
        Int("second_choice_tokens"), Int("lost_tokens"),
    ];

    /// <summary>Rows of a file held before they are written to its Parquet copy as a row group.</summary>
    public const int RowGroupRows = 16_384;

    private readonly MarketSetup _setup;
    private readonly CsvFile _market;
    private readonly CsvFile _providers;
    private readonly CsvFile _segments;
    private readonly ParquetTable[] _parquet;

    public string Directory { get; }

    /// <summary>The ticks written to the files.</summary>
    public RunSampling Sampling { get; }

    private RunFiles(string directory, MarketSetup setup, RunSampling sampling, ParquetTable[] parquet)
    {
        Directory = directory;
        _setup = setup;
        Sampling = sampling;
        _market = new CsvFile(PathOf(MarketCsv), MarketColumns(setup), keepRows: true);
        _providers = new CsvFile(PathOf(ProvidersCsv), ProvidersColumns, keepRows: true);
        _segments = new CsvFile(PathOf(SegmentsCsv), SegmentsColumns, keepRows: true);
        _parquet = parquet;
        Flush();
    }

    /// <summary>Creates the folder (if needed), writes the resolved scenario and opens the CSV files and their Parquet
    /// copies; <paramref name="sampling"/> says which ticks they get (default: every tick).</summary>
    public static async Task<RunFiles> CreateAsync(string directory, MarketSetup setup, string resolvedScenarioYaml, RunSampling? sampling = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        WriteAtomically(System.IO.Path.Combine(directory, ResolvedScenario), resolvedScenarioYaml);
        var parquet = new ParquetTable[3];
        var columns = new[] { MarketColumns(setup), ProvidersColumns, SegmentsColumns };
        var names = new[] { MarketCsv, ProvidersCsv, SegmentsCsv };
        for (var i = 0; i < parquet.Length; i++)
            parquet[i] = await ParquetTable.CreateAsync(columns[i], System.IO.Path.ChangeExtension(System.IO.Path.Combine(directory, names[i]), ".parquet"));
        return new RunFiles(directory, setup, sampling ?? RunSampling.For(setup.Ticks, 1), parquet);
    }

    public string PathOf(string file) => System.IO.Path.Combine(Directory, file);

    /// <summary>Appends a tick to the three CSV files and flushes them, if the sampling keeps it; writes a Parquet row
    /// group of a file whose rows reached <see cref="RowGroupRows"/>.</summary>
    public async ValueTask RecordAsync(TickObservation o)
    {
        if (!Sampling.Keeps(o.Tick)) return;
        WriteMarket(o);
        WriteProviders(o);
        WriteSegments(o);
        Flush();
        var files = Files;
        for (var i = 0; i < files.Length; i++)
            if (files[i].Rows!.Count >= RowGroupRows) await _parquet[i].AppendAsync(files[i].Rows!);
    }

    /// <summary>Completes the Parquet copies of the three CSV files (market.parquet, ...) with the rows not yet written.</summary>
    public async Task WriteParquetAsync()
    {
        var files = Files;
        for (var i = 0; i < files.Length; i++)
        {
            await _parquet[i].AppendAsync(files[i].Rows!);
            await _parquet[i].CompleteAsync();
        }
    }

    private CsvFile[] Files => [_market, _providers, _segments];

    public void WriteSummary(SummaryDocument summary) =>
        WriteAtomically(PathOf(SummaryJson), JsonSerializer.Serialize(summary, SummaryDocument.JsonOptions) + "\n");

    /// <summary>Closes the CSV files; Parquet copies not completed by <see cref="WriteParquetAsync"/> are abandoned
    /// (<see cref="DisposeAsync"/>).</summary>
    public void Dispose()
    {
        _market.Dispose();
        _providers.Dispose();
        _segments.Dispose();
    }

    /// <summary>Closes the CSV files and abandons Parquet copies not completed (a failed run leaves none).</summary>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        foreach (var table in _parquet) await table.DisposeAsync();
    }

    /// <summary>Writes a file through a temporary sibling and a rename, so that readers see the old or the new
    /// content, never half of it.</summary>
    public static void WriteAtomically(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temp, path, overwrite: true);
    }

    private void Flush()
    {
        _market.Flush();
        _providers.Flush();
        _segments.Flush();
    }

    private void WriteMarket(TickObservation o)
    {
        var m = _market.Int(o.Tick).Date(o.Date);
        foreach (var x in o.PriceIndex) m.Real(x);
        m.Real(o.Hhi).Int(o.ActiveProviders).Int(o.Entries).Int(o.Exits).Int(o.TokensServed)
            .Usd(o.ProvidersReceivedMicros).Usd(o.CustomersPaidMicros).Usd(o.ConsumerSurplusMicros).Int(o.Switches)
            .Int(o.NegotiationCount(NegotiationOutcome.Accepted)).Int(o.NegotiationCount(NegotiationOutcome.Agreed))
            .Int(o.NegotiationCount(NegotiationOutcome.Failed)).Int(o.NegotiationCount(NegotiationOutcome.RejectedCapacity))
            .Real(RunSummary.MeanRoundsOf(o))
            .Int(o.TokensWanted).Int(o.TokensWanted - o.TokensLost).Int(o.TokensLost).Real(o.ServedShare)
            .Int(o.Segments.Sum(x => x.SecondChoiceTokens));
        for (var l = 0; l < o.CapabilityListed.Length; l++) m.Real(o.CapabilityListed[l]).Real(o.CapabilityBought[l]);
        m.EndRow();
    }

    private void WriteProviders(TickObservation o)
    {
        for (var p = 0; p < o.Providers.Length; p++)
        {
            var report = o.Providers[p];
            var total = report.Total;
            var id = p < _setup.Providers.Count ? _setup.Providers[p].Id : $"provider-{p}";
            var shareTokens = o.ShareByTokens(p);
            var shareRevenue = o.ShareByRevenue(p);
            for (var t = 0; t < report.Tiers.Length; t++)
            {
                var tier = report.Tiers[t];
                if (!tier.Offered) continue;
                var listPrice = Units.UsdPerMillion(tier.ListPrice);
                _providers.Int(o.Tick).Date(o.Date).Text(id).Text(Tiers.Names[t])
                    .Real((double)listPrice).Real(tier.UnitCost).Real(Margin(tier.ListPrice, tier.UnitCost))
                    .Int(tier.ServedTokens).Usd(tier.RevenueMicros).Int(tier.CapacityTokens)
                    .Usd(total.RevenueMicros).Usd(total.CostMicros).Usd(total.ProfitMicros).Usd(total.CashMicros)
                    .Real(total.Utilisation).Int(total.CapacityTokens).Real(shareTokens).Real(shareRevenue).Bool(total.Active)
                    .Real(tier.Quality).Int(tier.DemandTokens).Int(total.Gpus).Int(total.RentedGpus)
                    .EndRow();
            }
        }
    }

    private void WriteSegments(TickObservation o)
    {
        for (var s = 0; s < o.Segments.Length; s++)
        {
            var x = o.Segments[s];
            _segments.Int(o.Tick).Date(o.Date).Text(s < Segments.Names.Length ? Segments.Names[s] : $"segment-{s}")
                .Int(x.ActiveCustomers).Int(x.Arrivals).Int(x.DemandTokens).Int(x.ServedTokens).Usd(x.SpendMicros)
                .Usd(x.SurplusMicros).Int(x.Switches).Int(x.UnderContract).Int(x.SecondChoiceTokens)
                .Int(x.DemandTokens - x.ServedTokens)
                .EndRow();
        }
    }

    /// <summary>Gross margin: (list price − unit cost) / list price; undefined (NaN) without a price or a cost.</summary>
    public static double Margin(long listPriceMicrosPerMillion, double unitCostUsdPerMillion)
    {
        var price = listPriceMicrosPerMillion / (double)Money.MicrosPerDollar;
        return price > 0 && double.IsFinite(unitCostUsdPerMillion) ? (price - unitCostUsdPerMillion) / price : double.NaN;
    }
}
