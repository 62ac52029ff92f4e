using MarketSim.Contracts;
using MarketSim.Client;
using MarketSim.Model.Engine;
using MarketSim.Silo;

namespace MarketSim.Cli;

/// <summary>What <c>run</c> asks of an engine: which one, and for Orleans where to find the cluster.</summary>
/// <param name="Engine">"orleans" or "reference".</param>
/// <param name="Gateway">HOST:PORT of a running silo's gateway; null to start an embedded single-silo cluster.</param>
/// <param name="MetricsPort">Port of the Prometheus endpoint of the embedded cluster; null for none.</param>
public sealed record EngineRequest(string Engine, string? Gateway, int? MetricsPort, bool Paced = false, int CheckpointEvery = 0)
{
    public System.Net.IPAddress? MetricsAddress { get; init; }
    public int? DashboardPort { get; init; }
    /// <summary>HOST:PORT of the Redis holding a cluster's membership: run on that cluster (its gateways are read there).</summary>
    public string? Redis { get; init; }
    public string ClusterId { get; init; } = ClusterDefaults.ClusterId;
    /// <summary>Run id on a Redis cluster: a new run under this id, or the continuation of the run with this id.</summary>
    public string? RunId { get; init; }
    public ClusterTls? Tls { get; init; }
    /// <summary>How long to keep trying to reach Redis and a gateway.</summary>
    public TimeSpan? ConnectTimeout { get; init; }
    /// <summary>The cluster's API key and the Redis password; null: none.</summary>
    public string? ApiKey { get; init; }
    public string? RedisPassword { get; init; }
}

/// <summary>An engine and whatever keeps it alive (a cluster, a client connection), released together.</summary>
public sealed class EngineSession(ISimulationEngine engine, IAsyncDisposable? owner = null) : IAsyncDisposable
{
    public ISimulationEngine Engine { get; } = engine;

    /// <summary>The cluster of an Orleans engine (checkpointing runs, forks); null for the reference engine.</summary>
    public Orleans.IClusterClient? Cluster { get; init; }

    /// <summary>A run on a Redis cluster: its checkpoints are coordinated in the cluster, not written to the run folder.</summary>
    public bool CheckpointsInCluster { get; init; }

    /// <summary>The id of the run on an Orleans engine (grain keys carry it); null for the reference engine.</summary>
    public string? RunId => (Engine as OrleansSimulation)?.RunId;

    public ValueTask DisposeAsync() => owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// The one place the CLI creates engines. <c>reference</c> is the sequential engine of MarketSim.Model;
/// <c>orleans</c> is the distributed engine of MarketSim.Client, either an embedded cluster started for the run or a
/// connection to a running silo (<c>--gateway</c>).
/// </summary>
public static class EngineFactory
{
    public const string Orleans = "orleans";
    public const string Reference = "reference";
    public static readonly string[] Names = [Orleans, Reference];

    /// <summary>Checkpoint interval of runs on a Redis cluster unless --checkpoint-every says otherwise: a lost silo
    /// costs at most this many ticks of replay, and a checkpoint costs one write per agent.</summary>
    public const int DefaultClusterCheckpointEvery = 25;

    /// <exception cref="UsageException">The cluster cannot be reached (exit code 2).</exception>
    public static async Task<EngineSession> CreateAsync(EngineRequest request, CancellationToken cancellationToken)
    {
        switch (request.Engine)
        {
            case Reference:
                return new EngineSession(new ReferenceSimulation());
            case Orleans:
                // A paced run advances one tick per call, so that the cluster (and its metrics) moves at the pace.
                var ticksPerAdvance = request.Paced ? 1 : 64;
                if (request.Redis is { } redis)
                {
                    MarketSimClient client;
                    try
                    {
                        client = await MarketSimClient.ConnectRedisAsync(redis, request.ClusterId, request.ConnectTimeout, request.Tls,
                            m => Console.Error.WriteLine($"marketsim run: {m}"), cancellationToken, request.ApiKey, request.RedisPassword);
                    }
                    catch (Exception e) when (e is RedisUnreachableException or ClusterUnreachableException)
                    {
                        throw new UsageException($"marketsim run: {e.Message}");
                    }
                    catch (ArgumentException e)
                    {
                        throw new UsageException($"marketsim run: {e.Message}");
                    }
                    var runId = request.RunId ?? OrleansSimulation.NewRunId();
                    var every = request.CheckpointEvery > 0 ? request.CheckpointEvery : DefaultClusterCheckpointEvery;
                    Console.Error.WriteLine($"run {runId} on cluster {request.ClusterId} (Redis {RedisConnection.Redact(redis)}), checkpoints every {every} ticks; " +
                        $"to resume after a restart: --run-id {runId}");
                    return new EngineSession(new OrleansSimulation(client.Cluster, runId)
                    {
                        CheckpointEvery = every, TicksPerAdvance = ticksPerAdvance, Report = m => Console.Error.WriteLine(m),
                    }, client) { CheckpointsInCluster = true };
                }
                if (request.Gateway is { } gateway)
                {
                    try
                    {
                        var client = await MarketSimClient.ConnectAsync(gateway, cancellationToken, request.ClusterId, tls: request.Tls, apiKey: request.ApiKey);
                        return new EngineSession(new OrleansSimulation(client.Cluster) { TicksPerAdvance = ticksPerAdvance, CheckpointEvery = request.CheckpointEvery }, client) { Cluster = client.Cluster };
                    }
                    catch (ClusterUnreachableException e)
                    {
                        throw new UsageException(e.Message);
                    }
                    catch (ArgumentException e)
                    {
                        throw new UsageException($"--gateway: {e.Message}");
                    }
                }
                var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions
                {
                    MetricsPort = request.MetricsPort,
                    MetricsAddress = request.MetricsAddress ?? System.Net.IPAddress.Loopback,
                    DashboardPort = request.DashboardPort,
                }, cancellationToken);
                if (cluster.MetricsUrl is { } metricsUrl) Console.Error.WriteLine($"metrics: {metricsUrl}");
                if (cluster.DashboardUrl is { } dashboardUrl) Console.Error.WriteLine($"Orleans Dashboard: {dashboardUrl}");
                return new EngineSession(new OrleansSimulation(cluster.Client.Cluster) { TicksPerAdvance = ticksPerAdvance, CheckpointEvery = request.CheckpointEvery }, cluster) { Cluster = cluster.Client.Cluster };
            default:
                throw new UsageException($"unknown engine '{request.Engine}' (fix: use --engine {string.Join(" or --engine ", Names)})");
        }
    }
}
