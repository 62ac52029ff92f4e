using MarketSim.Contracts;
using System.Net;

namespace MarketSim.Silo;

/// <summary>How a silo listens and which cluster it joins. Addresses default to loopback.</summary>
public sealed record SiloOptions
{
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;
    /// <summary>Address the silo listens on and advertises to the cluster. Any address (0.0.0.0, in a container)
    /// listens on every interface and advertises this host's first non-loopback IPv4 address.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;
    public string ClusterId { get; init; } = MarketSim.Contracts.ClusterDefaults.ClusterId;
    /// <summary>With localhost clustering: the silo port of the cluster's first silo (null: this one is first).</summary>
    public int? PrimarySiloPort { get; init; }
    /// <summary>Port of the Prometheus endpoint (GET /metrics); null: no endpoint.</summary>
    public int? MetricsPort { get; init; }
    /// <summary>Address the Prometheus endpoint listens on. Loopback answers as 127.0.0.1 and localhost; any
    /// address (0.0.0.0, ::) answers whatever host name a scraper used (a compose service name, a pod IP).</summary>
    public IPAddress MetricsAddress { get; init; } = IPAddress.Loopback;
    /// <summary>Port of the Orleans Dashboard (HTTP, on <see cref="DashboardAddress"/>); null: no dashboard.</summary>
    public int? DashboardPort { get; init; }
    /// <summary>Address the Orleans Dashboard listens on.</summary>
    public IPAddress DashboardAddress { get; init; } = IPAddress.Loopback;
    /// <summary>API key every call from a client must carry (<see cref="ApiKeyCallFilter"/>); null: calls are not checked.</summary>
    public string? ApiKey { get; init; }
    /// <summary>Basic-auth credentials ("user:password") the metrics endpoint and the Orleans Dashboard require; null: none.</summary>
    public string? MetricsCredentials { get; init; }
}
