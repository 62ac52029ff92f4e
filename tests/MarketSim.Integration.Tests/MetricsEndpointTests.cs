using System.Net;
using MarketSim.Client;
using MarketSim.Silo;
using Orleans;
using Orleans.Runtime;

namespace MarketSim.Integration.Tests;

/// <summary>The Prometheus endpoint answers by every name a scraper may use, and a silo stops exporting a
/// grain's gauges when the grain deactivates.</summary>
public sealed class MetricsEndpointTests
{
    private static async Task<HttpStatusCode> GetAsync(string url, string? host = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (host is not null) request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task On_loopback_the_endpoint_answers_as_127_0_0_1_and_as_localhost()
    {
        var port = EmbeddedCluster.FreePort();
        await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { MetricsPort = port });
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/metrics"), cluster.MetricsUrl);
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"http://127.0.0.1:{port}/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"http://localhost:{port}/metrics"));
    }

    [Fact]
    public async Task On_any_address_the_endpoint_answers_whatever_host_name_the_scraper_used()
    {
        var port = EmbeddedCluster.FreePort();
        await using var cluster = await EmbeddedCluster.StartAsync(
            new EmbeddedClusterOptions { MetricsPort = port, MetricsAddress = IPAddress.Any });
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"http://127.0.0.1:{port}/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"http://localhost:{port}/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"http://127.0.0.2:{port}/metrics"));
        // As Prometheus in docker compose asks for it: by the service's name.
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"http://127.0.0.1:{port}/metrics", host: $"silo1:{port}"));
    }

    [Fact]
    public async Task A_silo_stops_exporting_a_runs_gauges_when_its_grains_deactivate()
    {
        var port = EmbeddedCluster.FreePort();
        await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { MetricsPort = port });
        var runId = OrleansSimulation.NewRunId();
        await cluster.Engine(runId).RunAsync(new MarketSetup(TestMarket.Build(ticks: 10)), _ => ValueTask.CompletedTask, CancellationToken.None);
        using var http = new HttpClient();
        var before = await http.GetStringAsync(cluster.MetricsUrl);
        Assert.Contains($"marketsim_provider_list_price_USD_per_M{{otel_scope_name=\"MarketSim\",provider=\"lab-a\",run=\"{runId}\"", before);
        Assert.Contains($"marketsim_engine_tick{{otel_scope_name=\"MarketSim\",run=\"{runId}\"}} 9", before);

        await cluster.Client.Cluster.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var gauges = new[] { "marketsim_provider_list_price_USD_per_M", "marketsim_provider_cash_USD", "marketsim_market_price_index_USD_per_M",
            "marketsim_market_share", "marketsim_segment_demand", "marketsim_engine_tick" };
        string after = "";
        for (var attempt = 0; attempt < 40; attempt++)
        {
            await Task.Delay(250);
            after = await http.GetStringAsync(cluster.MetricsUrl);
            if (!Lines(after, runId).Any(l => gauges.Any(g => l.StartsWith(g + "{", StringComparison.Ordinal)))) break;
        }
        var left = Lines(after, runId).Where(l => gauges.Any(g => l.StartsWith(g + "{", StringComparison.Ordinal))).ToList();
        Assert.True(left.Count == 0, "gauges still exported after deactivation:\n" + string.Join("\n", left));
        // Counters are cumulative: what was counted stays counted.
        Assert.Contains(Lines(after, runId), l => l.StartsWith("marketsim_engine_ticks_total{", StringComparison.Ordinal) && l.EndsWith(" 10"));
    }

    private static IEnumerable<string> Lines(string exposition, string runId) =>
        exposition.Split('\n').Where(l => l.Contains($"run=\"{runId}\"", StringComparison.Ordinal));

    [Fact]
    public async Task The_orleans_dashboard_is_served_when_a_port_is_given()
    {
        var port = EmbeddedCluster.FreePort();
        await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions { DashboardPort = port });
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), cluster.DashboardUrl);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var page = await http.GetStringAsync(cluster.DashboardUrl);
        Assert.Contains("Orleans", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_ports_an_embedded_cluster_serves_neither_metrics_nor_dashboard()
    {
        await using var cluster = await EmbeddedCluster.StartAsync();
        Assert.Null(cluster.MetricsUrl);
        Assert.Null(cluster.DashboardUrl);
    }
}
