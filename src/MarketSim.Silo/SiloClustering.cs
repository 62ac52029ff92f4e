using MarketSim.Contracts;
using MarketSim.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace MarketSim.Silo;

/// <summary>
/// Redis-backed clustering for silos on several processes or machines: membership (which silos are alive, where
/// the gateways are) in Redis, and the run checkpoints (grain storage "checkpoints": every agent's state and each
/// coordinator's RunRecord) in Redis too, so a run survives the loss of any silo and a restart of the whole cluster.
/// </summary>
public static class SiloClustering
{
    /// <summary>
    /// Joins the cluster whose membership table is in Redis at <paramref name="redis"/> (HOST:PORT or a
    /// StackExchange.Redis configuration string) and keeps checkpoints there; failure detection is tuned so that a
    /// dead silo is declared dead within a few seconds (see <see cref="ConfigureFastFailureDetection"/>).
    /// </summary>
    public static ISiloBuilder UseMarketSimRedis(this ISiloBuilder silo, string redis, string? password = null)
    {
        silo.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Options(redis, password));
        silo.AddRedisGrainStorage(MarketSim.Grains.AgentGroupGrain.StorageName,
            o => o.ConfigurationOptions = RedisConnection.Options(redis, password));
        silo.ConfigureFastFailureDetection();
        // A call to an agent on a silo that died mid-call is normally broken when the silo is declared dead; should
        // that be missed, the call fails after this time and the coordinator recovers from the last checkpoint.
        silo.Services.PostConfigure<SiloMessagingOptions>(o => o.ResponseTimeout = ClusterDefaults.ClusterCallTimeout);
        return silo;
    }

    /// <summary>Without Redis: localhost (development) clustering and checkpoints in memory, as <c>SiloHost.Build(options)</c>.</summary>
    public static ISiloBuilder UseMarketSimDevelopmentClustering(this ISiloBuilder silo, SiloOptions options)
    {
        var primary = new System.Net.IPEndPoint(SiloHost.AdvertisedAddress(options.Address), options.PrimarySiloPort ?? options.SiloPort);
        silo.UseDevelopmentClustering(primary);
        return silo.AddInMemoryCheckpoints();
    }

    /// <summary>
    /// Membership settings for a cluster on one machine or a LAN: every silo probes 3 others every 2 s (a probe waits
    /// at least 2.5 s); 3 missed probes in a row make a suspect; 2 votes (or every other live silo's, when fewer
    /// remain) declare it dead; votes expire after 10 s; the membership table is re-read every 2 s. A SIGKILLed silo on
    /// loopback is declared dead in about 4-8 s (its socket closes at once, so probes fail fast), while a live silo on
    /// a busy machine must be silent for about 8 s. Silos write "I am alive" every 5 s, and an entry 3 writes late
    /// stops counting for joining silos, well inside the 60 s join limit, so silos restarted after the whole cluster
    /// died are not evicted while they wait for their predecessors' entries (docs/CLUSTER.md). Orleans' defaults
    /// (ProbeTimeout 5 s, table refresh 60 s) take 15-60 s. The values are in <see cref="ClusterDefaults"/>.
    /// </summary>
    public static ISiloBuilder ConfigureFastFailureDetection(this ISiloBuilder silo) =>
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = ClusterDefaults.ProbeTimeout;
            o.NumMissedProbesLimit = ClusterDefaults.MissedProbesLimit;
            o.NumProbedSilos = ClusterDefaults.ProbedSilos;
            o.NumVotesForDeathDeclaration = ClusterDefaults.VotesForDeathDeclaration;
            o.DeathVoteExpirationTimeout = ClusterDefaults.DeathVoteExpiration;
            o.TableRefreshTimeout = ClusterDefaults.MembershipTableRefresh;
            o.IAmAliveTablePublishTimeout = ClusterDefaults.IAmAlivePublishPeriod;
            o.NumMissedTableIAmAliveLimit = ClusterDefaults.MissedIAmAliveLimit;
            o.MaxJoinAttemptTime = ClusterDefaults.MaxJoinAttemptTime;
            o.DefunctSiloExpiration = ClusterDefaults.DefunctSiloExpiration;
            o.DefunctSiloCleanupPeriod = ClusterDefaults.DefunctSiloCleanupPeriod;
        });
}
