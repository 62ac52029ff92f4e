using MarketSim.Contracts;
using System.Net;
using MarketSim.Client;
using MarketSim.Grains.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace MarketSim.Silo;

/// <summary>Builds a MarketSim silo: the grains, clustering, messaging limits, metrics and dashboard.</summary>
public static class SiloHost
{
    /// <summary>Configures a silo builder for MarketSim (used by the CLI and by the test clusters).</summary>
    public static ISiloBuilder ConfigureMarketSim(this ISiloBuilder silo)
    {
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ClusterDefaults.ResponseTimeout);
        // A paused run keeps its agents in memory; only long-idle runs are collected.
        silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(12));
        silo.Services.AddMarketSimTelemetry();
        silo.AddIncomingGrainCallFilter<MarketSim.Grains.AgentFaultFilter>();
        silo.Services.AddPlacementDirector<MarketSim.Grains.GroupPlacement, MarketSim.Grains.GroupPlacementDirector>();
        return silo;
    }

    /// <summary>A host with one silo using localhost clustering; with <see cref="SiloOptions.MetricsPort"/> it
    /// serves Prometheus metrics, with <see cref="SiloOptions.DashboardPort"/> the Orleans Dashboard.</summary>
    public static IHost Build(SiloOptions options, LogLevel logLevel = LogLevel.Error) =>
        Build(options, silo =>
        {
            var primary = new IPEndPoint(AdvertisedAddress(options.Address), options.PrimarySiloPort ?? options.SiloPort);
            silo.UseDevelopmentClustering(primary);
            silo.AddInMemoryCheckpoints();
        }, logLevel);

    /// <summary>Checkpoints kept in the silo's memory: enough for one process, lost with it.</summary>
    public static ISiloBuilder AddInMemoryCheckpoints(this ISiloBuilder silo) =>
        silo.AddMemoryGrainStorage(MarketSim.Grains.AgentGroupGrain.StorageName);

    /// <summary>The address a silo advertises to the cluster: the one it listens on, or, when that is any address
    /// (0.0.0.0 in a container), this host's first IPv4 address that is not loopback.</summary>
    public static IPAddress AdvertisedAddress(IPAddress listen)
    {
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any)) return listen;
        var addresses = Dns.GetHostAddresses(Dns.GetHostName());
        return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }

    /// <summary>A host with one silo whose clustering <paramref name="clustering"/> sets up (the CLI uses it for
    /// Redis clustering); endpoints, metrics and dashboard as in <paramref name="options"/>.</summary>
    public static IHost Build(SiloOptions options, Action<ISiloBuilder> clustering, LogLevel logLevel = LogLevel.Error)
    {
        void ConfigureSilo(ISiloBuilder silo)
        {
            clustering(silo);
            var any = options.Address.Equals(IPAddress.Any) || options.Address.Equals(IPAddress.IPv6Any);
            silo.ConfigureEndpoints(AdvertisedAddress(options.Address), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: any);
            silo.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = ClusterDefaults.ServiceId; });
            silo.ConfigureMarketSim();
            if (options.DashboardPort is not null) silo.AddDashboard();
            if (options.ApiKey is { } key) silo.AddIncomingGrainCallFilter(new ApiKeyCallFilter(key));
        }

        void ConfigureLogging(ILoggingBuilder logging) =>
            logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel);

        var securedMetrics = options.MetricsCredentials is not null ? options.MetricsPort : null;
        if (options.DashboardPort is null && securedMetrics is null)
        {
            var builder = Host.CreateApplicationBuilder();
            ConfigureLogging(builder.Logging);
            builder.Services.AddMarketSimMetricsEndpoint(options);
            builder.UseOrleans(ConfigureSilo);
            return builder.Build();
        }

        // The Orleans Dashboard and metrics behind basic auth are ASP.NET Core endpoints: the silo then runs in a web
        // host listening on the dashboard's and the metrics' ports.
        var web = WebApplication.CreateSlimBuilder();
        ConfigureLogging(web.Logging);
        web.WebHost.ConfigureKestrel(k =>
        {
            if (options.DashboardPort is { } dashboardPort) k.Listen(options.DashboardAddress, dashboardPort);
            if (securedMetrics is { } metricsPort) k.Listen(options.MetricsAddress, metricsPort);
        });
        web.Services.AddMarketSimMetricsEndpoint(options);
        web.UseOrleans(ConfigureSilo);
        var app = web.Build();
        if (options.MetricsCredentials is { } credentials) app.Use(next => BasicAuth.Require(credentials, next));
        if (securedMetrics is { } port) app.MapPrometheusScrapingEndpoint(SiloTelemetry.ScrapePath).RequireHost($"*:{port}");
        if (options.DashboardPort is not null) app.MapOrleansDashboard();
        return app;
    }
}
