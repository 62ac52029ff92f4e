namespace MarketSim.Client;

/// <summary>
/// Defaults shared by silos and clients: the cluster's names and every timeout and limit of a cluster, kept here
/// once. Silo settings (<c>SiloHost</c>, <c>SiloClustering</c>), clients (<see cref="MarketSimClient"/>), Redis
/// (<see cref="RedisConnection"/>), TLS (<see cref="ClusterTls"/>) and the command line's defaults read them.
/// </summary>
public static class ClusterDefaults
{
    public const string ClusterId = "marketsim";
    public const string ServiceId = "marketsim";

    // Calls

    /// <summary>Response timeout of silos and clients of a single-silo or localhost cluster: a call (a whole advance
    /// of many ticks) may take this long.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Response timeout on a Redis cluster, of silos (one phase of one agent's tick) and clients (an
    /// advance call). A call whose target silo died after the call was forwarded gets no answer and no error: it fails
    /// after this time and is retried (client) or recovered from the last checkpoint (coordinator). An advance call
    /// normally answers within a second, or a few after a recovery.</summary>
    public static readonly TimeSpan ClusterCallTimeout = TimeSpan.FromSeconds(20);

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
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes in a row that make a suspect; silos each silo probes; votes that declare a silo dead.</summary>
    public const int MissedProbesLimit = 2, ProbedSilos = 3, VotesForDeathDeclaration = 2;

    /// <summary>How long a vote that a silo is dead counts.</summary>
    public static readonly TimeSpan DeathVoteExpiration = TimeSpan.FromSeconds(10);

    /// <summary>How often a silo re-reads the membership table.</summary>
    public static readonly TimeSpan MembershipTableRefresh = TimeSpan.FromSeconds(2);

    /// <summary>How often a silo writes that it is alive into the membership table.</summary>
    public static readonly TimeSpan IAmAlivePublishPeriod = TimeSpan.FromSeconds(10);

    /// <summary>How long a silo keeps trying to join the cluster.</summary>
    public static readonly TimeSpan MaxJoinAttemptTime = TimeSpan.FromSeconds(30);

    /// <summary>When the entries of dead silos are removed from the membership table, and how often that is checked.</summary>
    public static readonly TimeSpan DefunctSiloExpiration = TimeSpan.FromMinutes(10),
        DefunctSiloCleanupPeriod = TimeSpan.FromMinutes(1);
}
