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

    public static async Task<EmbeddedCluster> StartAsync(CancellationToken cancellationToken = default)
    {
        var options = new SiloOptions { SiloPort = FreePort(), GatewayPort = FreePort(), ClusterId = "marketsim-embedded" };
        var host = SiloHost.Build(options);
        await host.StartAsync(cancellationToken);
        return new EmbeddedCluster(host, options);
    }

    /// <summary>A free TCP port on loopback.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(10)); }
        finally { _host.Dispose(); }
    }
}
