namespace MarketSim.Contracts;

/// <summary>
/// Defaults shared by silos and clients: the cluster's names and every timeout and limit of a cluster, kept here
/// once. Silo settings (<c>SiloHost</c>, <c>SiloClustering</c>), the run coordinator, clients (<c>MarketSimClient</c>,
/// <c>RunCalls</c>), Redis (<c>RedisConnection</c>), TLS (<c>ClusterTls</c>) and the command line's defaults read them.
/// </summary>
public static class ClusterDefaults
{
    public const string ClusterId = "marketsim";
    public const string ServiceId = "marketsim";

    // Calls

    /// <summary>Response timeout of silos and clients of a single-silo or localhost cluster: a call (a whole advance
    /// of many ticks) may take this long.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Response timeout of silos on a Redis cluster (one phase of one agent's tick). A call whose target silo
    /// died gets its error when membership declares the silo dead (a few seconds); this bounds the rest.</summary>
    public static readonly TimeSpan ClusterCallTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Response timeout of clients of a Redis cluster (an advance call). A client does not wait for it when a
    /// silo is lost: it gives a call up as soon as membership declares a silo dead (<c>RunCalls</c>). It is longer than
    /// <see cref="CheckpointStoreWait"/>, so a run that stops for its store says so to the client.</summary>
    public static readonly TimeSpan ClientCallTimeout = TimeSpan.FromSeconds(45);

    // Runs

    /// <summary>How long a run's coordinator keeps trying to return to its last checkpoint before the run fails.</summary>
    public static readonly TimeSpan RunRecoveryLimit = TimeSpan.FromSeconds(90);

    /// <summary>How long a checkpoint waits for the checkpoint store (Redis) before the run stops, resumable.</summary>
    public static readonly TimeSpan CheckpointStoreWait = TimeSpan.FromSeconds(20);

    /// <summary>How long the client driving a run holds it after its last call; another client is refused before.</summary>
    public static readonly TimeSpan DriverLease = TimeSpan.FromSeconds(6);

    /// <summary>How long a client waits for another client's hold on a run to lapse (a killed client's lease runs out)
    /// before it gives up.</summary>
    public static readonly TimeSpan DriverWait = TimeSpan.FromSeconds(12);

    /// <summary>How long a client's calls may keep failing for transport reasons before the run fails.</summary>
    public static readonly TimeSpan ClientFailureLimit = TimeSpan.FromMinutes(3);

    // Connecting

    /// <summary>How long a client keeps trying to reach a gateway given by HOST:PORT (default).</summary>
    public static readonly TimeSpan GatewayConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The least time a client of a Redis cluster waits for a gateway, even when waiting for Redis took
    /// (nearly) all of its timeout.</summary>
    public static readonly TimeSpan MinGatewayConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Time a client's start may take beyond its connect timeout before it is given up.</summary>
    public static readonly TimeSpan ClientStartGrace = TimeSpan.FromSeconds(5);

    /// <summary>Pause between two attempts to reach a gateway or Redis.</summary>
    public static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>How often a client of a Redis cluster re-reads the gateways, so a lost silo's gateway is dropped and
    /// new ones are used.</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(2);

    /// <summary>How long a TLS handshake between silos or with a client may take.</summary>
    public static readonly TimeSpan TlsHandshakeTimeout = TimeSpan.FromSeconds(5);

    // Redis

    /// <summary>How long silos and clients keep trying to reach Redis before they give up (default of
    /// --redis-timeout).</summary>
    public static readonly TimeSpan RedisTimeout = TimeSpan.FromSeconds(30);

    /// <summary>StackExchange.Redis connect timeout (ms) of one attempt; a bounded wait for Redis makes its attempts
    /// no shorter than <see cref="RedisMinConnectTimeoutMs"/>.</summary>
    public const int RedisConnectTimeoutMs = 3000, RedisMinConnectTimeoutMs = 500;

    /// <summary>StackExchange.Redis time (ms) after which an operation fails rather than hanging.</summary>
    public const int RedisOperationTimeoutMs = 5000;

    // Stopping

    /// <summary>How long a client, an embedded cluster and a silo process wait for a graceful stop.</summary>
    public static readonly TimeSpan ClientStopTimeout = TimeSpan.FromSeconds(5),
        EmbeddedClusterStopTimeout = TimeSpan.FromSeconds(10),
        SiloStopTimeout = TimeSpan.FromSeconds(30);

    // Failure detection (SiloClustering.ConfigureFastFailureDetection)

    /// <summary>A silo that does not answer a probe within this time missed it.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes in a row that make a suspect; silos each silo probes; votes that declare a silo dead.</summary>
    public const int MissedProbesLimit = 3, ProbedSilos = 3, VotesForDeathDeclaration = 2;

    /// <summary>How long a vote that a silo is dead counts.</summary>
    public static readonly TimeSpan DeathVoteExpiration = TimeSpan.FromSeconds(10);

    /// <summary>How often a silo re-reads the membership table.</summary>
    public static readonly TimeSpan MembershipTableRefresh = TimeSpan.FromSeconds(2);

    /// <summary>How often a silo writes that it is alive into the membership table, and how many of those writes a silo
    /// may miss before the others stop counting it among the silos a joining silo must reach (a silo killed with the
    /// whole cluster stays "Active" in the table until then): 5 s x 3, at most 15 s after its death.</summary>
    public static readonly TimeSpan IAmAlivePublishPeriod = TimeSpan.FromSeconds(5);
    public const int MissedIAmAliveLimit = 3;

    /// <summary>How long a silo keeps trying to join the cluster; after that the others evict it. Four times the 15 s in
    /// which a dead silo's entry stops counting, so that silos restarted together after a whole cluster died (and must
    /// wait for their predecessors' entries to go stale) are never evicted while they wait.</summary>
    public static readonly TimeSpan MaxJoinAttemptTime = TimeSpan.FromSeconds(60);

    /// <summary>When the entries of dead silos are removed from the membership table, and how often that is checked.</summary>
    public static readonly TimeSpan DefunctSiloExpiration = TimeSpan.FromMinutes(10),
        DefunctSiloCleanupPeriod = TimeSpan.FromMinutes(1);
}
