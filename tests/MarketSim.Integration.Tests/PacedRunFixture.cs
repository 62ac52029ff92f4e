using System.Diagnostics;
using MarketSim.Client;
using MarketSim.Silo;

namespace MarketSim.Integration.Tests;

/// <summary>
/// An embedded silo with its Prometheus endpoint on 127.0.0.1, a real Prometheus scraping it every second, and
/// one run of <see cref="TestMarket"/> paced at about <see cref="TicksPerSecond"/> ticks per second, whose
/// observations are kept. Prometheus has scraped the run's last tick when the fixture is ready.
/// </summary>
public sealed class PacedRunFixture : IAsyncLifetime
{
    public const double TicksPerSecond = 20;
    public const int Ticks = 100;

    public EmbeddedCluster Cluster { get; private set; } = null!;
    public PrometheusServer Prometheus { get; private set; } = null!;
    public string RunId { get; } = OrleansSimulation.NewRunId();
    public List<TickObservation> Observations { get; } = [];
    public TickObservation Last => Observations[^1];

    public async Task InitializeAsync()
    {
        PrometheusServer.RequireInstalled();
        var metricsPort = EmbeddedCluster.FreePort();
        Cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { MetricsPort = metricsPort });
        Prometheus = await PrometheusServer.StartAsync([$"127.0.0.1:{metricsPort}"]);
        // The target must be up before the run, so that the dashboards' rates see the run from its start.
        await Prometheus.WaitForAsync("up", r => r.Any(s => s.Value == 1), TimeSpan.FromSeconds(30));

        var engine = new OrleansSimulation(Cluster.Client.Cluster, RunId) { TicksPerAdvance = 1 };
        var clock = Stopwatch.StartNew();
        await engine.RunAsync(new MarketSetup(TestMarket.Build(Ticks)), async o =>
        {
            Observations.Add(o);
            var due = TimeSpan.FromSeconds(Observations.Count / TicksPerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
        }, CancellationToken.None);

        await Prometheus.WaitForAsync($"marketsim_engine_tick{{run=\"{RunId}\"}}",
            r => r.Count == 1 && r[0].Value == Last.Tick, TimeSpan.FromSeconds(30));
        // One more scrape, so that rates over the run's last seconds have two samples after it ended.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    public async Task DisposeAsync()
    {
        if (Prometheus is not null) await Prometheus.DisposeAsync();
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

/// <summary>The tests that share one paced run and one Prometheus.</summary>
[CollectionDefinition(Name)]
public sealed class PacedRunCollection : ICollectionFixture<PacedRunFixture>
{
    public const string Name = "paced run scraped by Prometheus";
}
