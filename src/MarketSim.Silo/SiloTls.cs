using MarketSim.Client;

namespace MarketSim.Silo;

/// <summary>TLS on a silo's silo-to-silo and gateway connections (see <see cref="ClusterTls"/>).</summary>
public static class SiloTls
{
    public static ISiloBuilder UseMarketSimTls(this ISiloBuilder silo, ClusterTls tls)
    {
        tls.Load();   // fail now, with the file's name, rather than at the first connection
        return silo.UseTls(tls.Apply);
    }
}
