using System.Net;

namespace MarketSim.Silo;

/// <summary>How a silo listens and which cluster it joins. Addresses default to loopback.</summary>
public sealed record SiloOptions
{
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;
    /// <summary>Address the silo listens on and advertises to the cluster.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;
    public string ClusterId { get; init; } = MarketSim.Client.ClusterDefaults.ClusterId;
    /// <summary>With localhost clustering: the silo port of the cluster's first silo (null: this one is first).</summary>
    public int? PrimarySiloPort { get; init; }
}
