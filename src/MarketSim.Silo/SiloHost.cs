using System.Net;
using MarketSim.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace MarketSim.Silo;

/// <summary>Builds a MarketSim silo: the grains, clustering, messaging limits.</summary>
public static class SiloHost
{
    /// <summary>Configures a silo builder for MarketSim (used by the CLI and by the test clusters).</summary>
    public static ISiloBuilder ConfigureMarketSim(this ISiloBuilder silo)
    {
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ClusterDefaults.ResponseTimeout);
        // A paused run keeps its agents in memory; only long-idle runs are collected.
        silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(12));
        return silo;
    }

    /// <summary>Checkpoints kept in the silo's memory: enough for one process, lost with it.</summary>
    public static ISiloBuilder AddInMemoryCheckpoints(this ISiloBuilder silo) =>
        silo.AddMemoryGrainStorage(MarketSim.Grains.AgentGrain<MarketSim.Model.Engine.ProviderAgent>.StorageName);

    /// <summary>A host with one silo on loopback using localhost clustering.</summary>
    public static IHost Build(SiloOptions options, LogLevel logLevel = LogLevel.Error)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel);
        builder.UseOrleans(silo =>
        {
            var primary = new IPEndPoint(options.Address, options.PrimarySiloPort ?? options.SiloPort);
            silo.UseDevelopmentClustering(primary);
            silo.ConfigureEndpoints(options.Address, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            silo.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = ClusterDefaults.ServiceId; });
            silo.ConfigureMarketSim().AddInMemoryCheckpoints();
        });
        return builder.Build();
    }
}
