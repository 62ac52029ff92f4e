using System.Globalization;

namespace MarketSim.Client;

/// <summary>The one parser of HOST:PORT addresses (gateways, Redis): a host name, an IPv4 address or a bracketed IPv6
/// address, a colon and a TCP port 1..65535.</summary>
public static class HostPort
{
    public static bool TryParse(string? value, out string host, out int port)
    {
        host = "";
        port = 0;
        if (string.IsNullOrWhiteSpace(value)) return false;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            return false;
        host = value[..colon].Trim('[', ']');
        return host.Length > 0 && !host.Any(char.IsWhiteSpace);
    }

    public static bool IsValid(string? value) => TryParse(value, out _, out _);
}
