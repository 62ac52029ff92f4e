using BenchmarkDotNet.Attributes;
using MarketSim.Model.Economics;
using MarketSim.Model.Engine;
using MarketSim.Model.Scenarios;

namespace MarketSim.Benchmarks;

/// <summary>
/// The model's hot functions on the baseline market (config/scenarios/baseline.yaml) with every customer present at
/// tick 0, so that every customer shops: a provider's unit cost, one offer evaluated (a bargain), a block's
/// negotiation (ranking every provider and tier for each customer), and a customer's whole tick.
/// Per-customer benchmarks report time per customer (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private const int Customers = 8192;
    private MarketSetup _setup = null!;
    private CustomerBlock _block = null!;
    private QuoteBoard _board = null!;
    private ProviderAgent[] _providers = [];
    private MarketView _view = null!;

    [Params(8, 20)]
    public int Providers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var path = FindBaseline();
        var result = ScenarioLoader.Load(path);
        var scenario = result.Scenario ?? throw new InvalidOperationException($"{path}: {string.Join("; ", result.Problems)}");
        // Providers: clones of the baseline's incumbents, as marketsim bench does.
        var incumbents = scenario.Providers.Where(p => p.Enters is null).ToList();
        scenario.Providers = [.. Enumerable.Range(0, Providers).Select(i =>
        {
            var clone = ScenarioJson.Deserialize(ScenarioJson.Serialize(new Scenario { Providers = [incumbents[i % incumbents.Count]] })).Providers[0];
            if (i >= incumbents.Count) clone.Id += $"-c{i / incumbents.Count}";
            return clone;
        })];
        scenario.Events = [];
        scenario.Customers.Count = Customers;
        foreach (var s in scenario.Customers.Segments.Values) s.InitialAdoption = 1;
        scenario.Engine.BlockSize = Customers;
        _setup = new MarketSetup(scenario);
        _view = MarketKernel.InitialView(_setup);
        _providers = [.. Enumerable.Range(0, _setup.ProviderCount).Select(i => new ProviderAgent(_setup, i))];
        _board = QuoteBoard.Assemble(0, [.. _providers.Select(p => p.Plan(0, _view))]);
        _block = new CustomerBlock(_setup, 0);
    }

    private static string FindBaseline()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config/scenarios/baseline.yaml");
            if (File.Exists(candidate)) return candidate;
        }
        var cwd = Path.GetFullPath("config/scenarios/baseline.yaml");
        return File.Exists(cwd) ? cwd : throw new FileNotFoundException("config/scenarios/baseline.yaml (run from the repository)");
    }

    /// <summary>A provider's plan: unit cost per tier (GPU price, utilisation, throughput) and list prices.</summary>
    [Benchmark]
    public ProviderPlan ProviderPlan() => _providers[0].Plan(0, _view);

    /// <summary>The unit-cost formula alone: hourly GPU cost over tokens served per hour.</summary>
    [Benchmark]
    public double UnitCostFormula() =>
        CostFormulas.ServingCostPerMillionTokens(
            CostFormulas.HourlyGpuCost(2.0, 0.9, 0.6, 0.08, 700, 1.2),
            CostFormulas.TokensPerSecondPerGpu(3000, 280, 2, 2.96, 8), 0.6);

    /// <summary>One offer bargained (alternating offers, four rounds).</summary>
    [Benchmark]
    public BargainResult Bargain() => Negotiation.Bargain(30_000_000, 12_000_000, 2.0, 9_000_000, 25_000_000, 1.0, 4);

    /// <summary>A block's negotiation at tick 0 (every customer ranks every provider and tier, term customers
    /// bargain), per customer.</summary>
    [Benchmark(OperationsPerInvoke = Customers)]
    public NegotiationBatch NegotiatePerCustomer() => _block.Negotiate(0, _board);

    /// <summary>A customer's whole tick (negotiation, demand, consumption), per customer.</summary>
    [Benchmark(OperationsPerInvoke = Customers)]
    public UsageReport CustomerTick()
    {
        var batch = _block.Negotiate(0, _board);
        var demand = _block.ApplyDecisionsAndMeasureDemand(0, _board, new bool[batch.Requests.Length]);
        var fills = MarketKernel.ComputeFills(_board, [demand]);
        return _block.Consume(0, _board, fills);
    }
}
