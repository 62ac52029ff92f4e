using MarketSim.Contracts;
using System.Net;
using System.Net.Sockets;
using MarketSim.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketSim.Silo;

/// <summary>A single silo inside this process (localhost clustering, in-memory state, free loopback ports):
/// the default of `marketsim run`, no other service needed.</summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly IHost _host;

    public MarketSimClient Client { get; }
    public SiloOptions Options { get; }

    private EmbeddedCluster(IHost host, SiloOptions options)
    {
        _host = host;
        Options = options;
        Client = MarketSimClient.FromCluster(host.Services.GetRequiredService<IClusterClient>());
    }

    /// <summary>A new engine on this cluster.</summary>
    public OrleansSimulation Engine(string? runId = null) => Client.Engine(runId);

    public static Task<EmbeddedCluster> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(new EmbeddedClusterOptions(), cancellationToken);

    /// <summary>Starts the silo; with <see cref="EmbeddedClusterOptions.MetricsPort"/> it serves Prometheus metrics
    /// (on loopback unless <see cref="EmbeddedClusterOptions.MetricsAddress"/> says otherwise), with
    /// <see cref="EmbeddedClusterOptions.DashboardPort"/> the Orleans Dashboard.</summary>
    public static async Task<EmbeddedCluster> StartAsync(EmbeddedClusterOptions options, CancellationToken cancellationToken = default)
    {
        var silo = new SiloOptions
        {
            SiloPort = FreePort(), GatewayPort = FreePort(), ClusterId = "marketsim-embedded",
            MetricsPort = options.MetricsPort, MetricsAddress = options.MetricsAddress,
            DashboardPort = options.DashboardPort, DashboardAddress = options.DashboardAddress,
        };
        var host = SiloHost.Build(silo);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new EmbeddedCluster(host, silo);
    }

    /// <summary>A free TCP port on loopback.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>URL of the Prometheus endpoint, if the silo serves one.</summary>
    public Uri? MetricsUrl => Options.MetricsPort is { } port
        ? new Uri($"http://{UrlHost(Options.MetricsAddress)}:{port}/metrics") : null;

    /// <summary>URL of the Orleans Dashboard, if the silo serves it.</summary>
    public Uri? DashboardUrl => Options.DashboardPort is { } port
        ? new Uri($"http://{UrlHost(Options.DashboardAddress)}:{port}/") : null;

    private static string UrlHost(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
        : address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(ClusterDefaults.EmbeddedClusterStopTimeout); }
        finally { _host.Dispose(); }
    }
}

/// <summary>What an embedded silo serves besides the cluster: metrics and the dashboard are off by default.</summary>
public sealed record EmbeddedClusterOptions
{
    /// <summary>Port of the Prometheus endpoint (GET /metrics); null: none.</summary>
    public int? MetricsPort { get; init; }
    /// <summary>Address of the Prometheus endpoint; loopback unless given.</summary>
    public IPAddress MetricsAddress { get; init; } = IPAddress.Loopback;
    /// <summary>Port of the Orleans Dashboard; null: none.</summary>
    public int? DashboardPort { get; init; }
    /// <summary>Address of the Orleans Dashboard; loopback unless given.</summary>
    public IPAddress DashboardAddress { get; init; } = IPAddress.Loopback;
}
