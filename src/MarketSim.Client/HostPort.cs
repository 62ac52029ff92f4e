using System.Globalization;

namespace MarketSim.Client;

/// <summary>The one parser of HOST:PORT addresses (gateways, Redis): a host name, an IPv4 address or a bracketed IPv6
/// address ([::1]:30000), a colon and a TCP port 1..65535.</summary>
public static class HostPort
{
    /// <summary>The lowest and highest TCP port.</summary>
    public const int MinPort = 1, MaxPort = 65535;

    /// <summary>The problem of a port number ("must be a TCP port between 1 and 65535"), or null when it is one.</summary>
    public static string? PortProblem(int port) =>
        port is < MinPort or > MaxPort ? $"must be a TCP port between {MinPort} and {MaxPort}" : null;

    public static bool TryParse(string? value, out string host, out int port) => Parse(value, out host, out port) is null;

    public static bool IsValid(string? value) => Parse(value, out _, out _) is null;

    /// <summary>What is wrong with <paramref name="value"/> as HOST:PORT ("no port after the last ':'"), or null.</summary>
    public static string? Problem(string? value) => Parse(value, out _, out _);

    /// <summary>The port of <paramref name="value"/>, or <paramref name="fallback"/> when it is not HOST:PORT.</summary>
    public static int PortOr(string? value, int fallback) => TryParse(value, out _, out var port) ? port : fallback;

    private static string? Parse(string? value, out string host, out int port)
    {
        host = "";
        port = 0;
        if (string.IsNullOrWhiteSpace(value)) return "the address is empty";
        var colon = value.LastIndexOf(':');
        if (colon < 0) return "no ':PORT' after the host";
        var hostPart = value[..colon];
        if (hostPart.StartsWith('['))
        {
            if (!hostPart.EndsWith(']') || hostPart.Length < 3) return "an IPv6 address must be in brackets, e.g. [::1]:30000";
            hostPart = hostPart[1..^1];
        }
        else if (hostPart.Contains(':') || hostPart.Contains(']'))
            return "an IPv6 address must be in brackets, e.g. [::1]:30000";
        if (hostPart.Length == 0) return "no host before ':PORT'";
        if (hostPart.Any(c => char.IsWhiteSpace(c) || c is '[' or ']')) return $"'{hostPart}' is not a host name or address";
        if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return $"the port '{value[(colon + 1)..]}' is not a whole number";
        if (PortProblem(number) is { } problem) return $"the port {problem}, not {number}";
        host = hostPart;
        port = number;
        return null;
    }
}
