using System.Net;
using MarketSim.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MarketSim.Silo;

/// <summary>The silo's Prometheus endpoint: the simulation's meter, Orleans' own meter and the .NET runtime's
/// metrics, served by an HttpListener at http://ADDRESS:PORT/metrics.</summary>
public static class SiloTelemetry
{
    /// <summary>Orleans' meter (activations, messaging, grain calls, ...).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public const string ScrapePath = "/metrics";

    /// <summary>Label sets a silo keeps per MarketSim metric over its lifetime (OpenTelemetry's default is 2000).
    /// Cumulative series are never reclaimed, and every run adds its own: with 10 providers a run takes 30 sets of
    /// a per-tier metric, so a silo serves about 160 such runs before new series overflow.</summary>
    public const int MarketSimCardinalityLimit = 5000;

    /// <summary>Adds the exporter if <see cref="SiloOptions.MetricsPort"/> is set: an HttpListener of its own, or, with
    /// <see cref="SiloOptions.MetricsCredentials"/>, the ASP.NET Core exporter that <see cref="SiloHost"/> maps behind basic auth.</summary>
    public static IServiceCollection AddMarketSimMetricsEndpoint(this IServiceCollection services, SiloOptions options)
    {
        if (options.MetricsPort is not { } port) return services;
        var prefixes = UriPrefixes(options.MetricsAddress, port);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("marketsim-silo", serviceInstanceId: $"{options.Address}:{options.SiloPort}"))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(MarketSimMeter.Name)
                    .AddView(instrument => instrument.Meter.Name == MarketSimMeter.Name
                        ? new MetricStreamConfiguration { CardinalityLimit = MarketSimCardinalityLimit } : null)
                    .AddMeter(OrleansMeter)
                    .AddRuntimeInstrumentation();
                if (options.MetricsCredentials is not null)
                {
                    metrics.AddPrometheusExporter(o => o.ScrapeEndpointPath = ScrapePath);
                    return;
                }
                metrics.AddPrometheusHttpListener(o =>
                {
                    o.Port = port;
                    o.ScrapeEndpointPath = ScrapePath;
                    o.ConfigureHttpListener = (_, listener) =>
                    {
                        // Replace the exporter's own prefix (http://localhost:PORT/metrics/).
                        listener.Prefixes.Clear();
                        foreach (var prefix in prefixes) listener.Prefixes.Add(prefix);
                    };
                });
            });
        return services;
    }

    /// <summary>
    /// HttpListener prefixes for an address and port. A prefix matches the Host header of a request, not the
    /// address it came in on, so: any address gets the wildcard host (every name a scraper may use: a compose
    /// service name, a pod IP, 127.0.0.1), 127.0.0.1 gets both 127.0.0.1 and localhost, and any other address
    /// gets that address.
    /// </summary>
    public static string[] UriPrefixes(IPAddress address, int port)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return [$"http://+:{port}{ScrapePath}/"];
        if (address.Equals(IPAddress.Loopback)) return [$"http://127.0.0.1:{port}{ScrapePath}/", $"http://localhost:{port}{ScrapePath}/"];
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return [$"http://{host}:{port}{ScrapePath}/"];
    }
}
