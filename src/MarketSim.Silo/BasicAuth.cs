using System.Text;
using Microsoft.AspNetCore.Http;

namespace MarketSim.Silo;

/// <summary>HTTP basic auth in front of the silo's metrics endpoint and Orleans Dashboard (<c>--metrics-auth-file</c>).
/// Basic auth sends the password in every request: use it over TLS or on a network you trust.</summary>
public static class BasicAuth
{
    /// <summary>Reads USER:PASSWORD from a file (trimmed); null without a file.</summary>
    /// <exception cref="ArgumentException">The file cannot be read or is not USER:PASSWORD (the message names the file, never its content).</exception>
    public static string? ReadCredentials(string? path)
    {
        if (path is null) return null;
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{path}: cannot read the metrics credentials file: {e.Message} (fix: give --metrics-auth-file a readable file holding USER:PASSWORD)");
        }
        var colon = text.IndexOf(':');
        if (colon < 1 || colon == text.Length - 1 || text.Any(char.IsControl))
            throw new ArgumentException($"{path}: the metrics credentials file must hold one line USER:PASSWORD (fix: e.g. echo \"prometheus:$(openssl rand -hex 16)\" > {path})");
        return text;
    }

    /// <summary>Whether an Authorization header carries <paramref name="credentials"/> (USER:PASSWORD), compared in
    /// constant time.</summary>
    public static bool Accepts(string? authorization, string credentials)
    {
        const string scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        string sent;
        try { sent = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[scheme.Length..].Trim())); }
        catch (FormatException) { return false; }
        return MarketSim.Client.ApiKey.Matches(sent, credentials);
    }

    /// <summary>Middleware: 401 with a Basic challenge unless the request carries the credentials.</summary>
    public static RequestDelegate Require(string credentials, RequestDelegate next) => context =>
    {
        if (Accepts(context.Request.Headers.Authorization, credentials)) return next(context);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"marketsim\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    };
}
