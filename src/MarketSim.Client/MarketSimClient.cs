using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace MarketSim.Client;

/// <summary>The cluster could not be reached; the message says where and what to do.</summary>
public sealed class ClusterUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A connection to a running MarketSim cluster through one of its gateways.</summary>
public sealed class MarketSimClient : IAsyncDisposable
{
    private readonly IHost? _host;

    public IClusterClient Cluster { get; }

    private MarketSimClient(IHost? host, IClusterClient cluster)
    {
        _host = host;
        Cluster = cluster;
    }

    /// <summary>Wraps a client that already exists (a co-hosted silo, a test cluster).</summary>
    public static MarketSimClient FromCluster(IClusterClient cluster) => new(null, cluster);

    /// <summary>A new engine that starts runs on this cluster.</summary>
    public OrleansSimulation Engine(string? runId = null) => new(Cluster, runId);

    /// <summary>Connects to the gateway at HOST:PORT.</summary>
    /// <param name="apiKey">The cluster's API key, sent with every call (<see cref="ApiKey"/>); null: none.</param>
    public static async Task<MarketSimClient> ConnectAsync(string gateway, CancellationToken cancellationToken = default,
        string clusterId = ClusterDefaults.ClusterId, TimeSpan? timeout = null, ClusterTls? tls = null, string? apiKey = null)
    {
        var endpoint = await ResolveGateway(gateway, cancellationToken);
        return await ConnectCoreAsync(client => client.UseStaticClustering(endpoint), clusterId, timeout ?? ClusterDefaults.GatewayConnectTimeout, tls, apiKey,
            e => $"cannot reach a MarketSim gateway at {gateway} ({endpoint}): {e}. " +
                 "Start a cluster first (marketsim silo, or scripts/cluster.sh up 3) or check the address and port.", cancellationToken);
    }

    /// <summary>Connects to the cluster <paramref name="clusterId"/> whose membership is in Redis at
    /// <paramref name="redis"/>: the gateways are read from there (and re-read every few seconds, so a lost silo's
    /// gateway is dropped and new ones are used). Waits up to <paramref name="timeout"/> for Redis and for a gateway.</summary>
    /// <exception cref="RedisUnreachableException">Redis did not answer in time.</exception>
    /// <exception cref="ClusterUnreachableException">No gateway of the cluster answered in time.</exception>
    public static async Task<MarketSimClient> ConnectRedisAsync(string redis, string clusterId = ClusterDefaults.ClusterId,
        TimeSpan? timeout = null, ClusterTls? tls = null, Action<string>? report = null, CancellationToken cancellationToken = default,
        string? apiKey = null, string? redisPassword = null)
    {
        var limit = timeout ?? ClusterDefaults.RedisTimeout;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await RedisConnection.WaitForAsync(redis, limit, report, cancellationToken, redisPassword);
        var left = limit - clock.Elapsed;
        return await ConnectCoreAsync(client =>
            {
                client.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Options(redis, redisPassword));
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = ClusterDefaults.GatewayListRefreshPeriod);
                client.Services.PostConfigure<ClientMessagingOptions>(o => o.ResponseTimeout = ClusterDefaults.ClientCallTimeout);
            }, clusterId, left > ClusterDefaults.MinGatewayConnectTimeout ? left : ClusterDefaults.MinGatewayConnectTimeout, tls, apiKey,
            e => $"no gateway of cluster '{clusterId}' (membership in Redis at {RedisConnection.Redact(redis)}) accepted a connection: {e}. " +
                 $"fix: start silos with marketsim silo --redis {RedisConnection.Redact(redis)} --cluster-id {clusterId} (or scripts/cluster.sh up 3), " +
                 "check --cluster-id, and with TLS the client certificate (--tls-cert, --tls-ca)", cancellationToken);
    }

    private static async Task<MarketSimClient> ConnectCoreAsync(Action<IClientBuilder> clustering, string clusterId, TimeSpan limit,
        ClusterTls? tls, string? apiKey, Func<string, string> describe, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            clustering(client);
            client.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = ClusterDefaults.ServiceId; });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ClusterDefaults.ResponseTimeout);
            client.UseConnectionRetryFilter(new BoundedRetry(limit));
            if (tls is not null) client.UseTls(tls.Apply);
            if (apiKey is not null) client.AddOutgoingGrainCallFilter(new ApiKey.OutgoingFilter(apiKey));
        });
        tls?.Load();   // a bad certificate file is bad input, reported before any connection
        var host = builder.Build();
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(limit + ClusterDefaults.ClientStartGrace);
            await host.StartAsync(cts.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new ClusterUnreachableException(describe(e.Message.Split('\n')[0].Trim()), e);
        }
        return new MarketSimClient(host, host.Services.GetRequiredService<IClusterClient>());
    }

    private static async Task<IPEndPoint> ResolveGateway(string gateway, CancellationToken ct)
    {
        if (!HostPort.TryParse(gateway, out var host, out var port))
            throw new ArgumentException($"the gateway '{gateway}' is not HOST:PORT (for example 127.0.0.1:30000): {HostPort.Problem(gateway)}");
        if (IPAddress.TryParse(host, out var ip)) return new IPEndPoint(ip, port);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, ct);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new ClusterUnreachableException($"the gateway host '{host}' has no address");
            return new IPEndPoint(chosen, port);
        }
        catch (SocketException e)
        {
            throw new ClusterUnreachableException($"cannot resolve the gateway host '{host}': {e.Message}. Check the name in --gateway.", e);
        }
    }

    private sealed class BoundedRetry(TimeSpan limit) : IClientConnectionRetryFilter
    {
        private readonly DateTime _deadline = DateTime.UtcNow + limit;

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            if (DateTime.UtcNow >= _deadline || cancellationToken.IsCancellationRequested) return false;
            await Task.Delay(ClusterDefaults.ConnectRetryDelay, cancellationToken);
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is null) return;
        try { await _host.StopAsync(ClusterDefaults.ClientStopTimeout); } catch (Exception) { /* the cluster may be gone already */ }
        _host.Dispose();
    }
}
