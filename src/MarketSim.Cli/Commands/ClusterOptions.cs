using MarketSim.Contracts;
using System.CommandLine;
using MarketSim.Client;

namespace MarketSim.Cli.Commands;

/// <summary>The options shared by <c>silo</c> and <c>run</c> for a Redis-backed cluster and for TLS.</summary>
internal sealed class ClusterOptions
{
    public Option<string> Redis { get; } = new("--redis")
    {
        Description = "Redis holding the cluster's membership and checkpoints (scripts/cluster.sh up N starts one on 127.0.0.1:6379)",
        HelpName = "HOST:PORT",
    };
    public Option<string> ClusterId { get; } = new("--cluster-id")
    {
        Description = $"Cluster to join in Redis (default {ClusterDefaults.ClusterId}); several clusters can share one Redis",
        HelpName = "ID",
    };
    public Option<int?> RedisTimeout { get; } = CommonOptions.Number<int>("--redis-timeout",
        $"Seconds to keep retrying while Redis or the cluster does not answer, then exit non-zero (default {ClusterDefaults.RedisTimeout.TotalSeconds:0})",
        "SECONDS", "a whole number of seconds", s => s < 1 ? "must be at least 1" : null);
    public Option<string> TlsCert { get; } = new("--tls-cert")
    {
        Description = "Use TLS with this certificate and private key (PKCS#12; scripts/make-certs.sh makes them); every silo and client of the cluster must use TLS",
        HelpName = "FILE.pfx",
    };
    public Option<string> TlsPassword { get; } = new("--tls-password")
    {
        Description = "Password of the --tls-cert file (or set MARKETSIM_TLS_PASSWORD)", HelpName = "PASSWORD",
    };
    public Option<string> TlsCa { get; } = new("--tls-ca")
    {
        Description = "With TLS: accept only peers whose certificate was signed by this CA (PEM, e.g. certs/ca.crt)", HelpName = "CA.crt",
    };
    public Option<string[]> TlsThumbprint { get; } = new("--tls-thumbprint")
    {
        Description = "With TLS: accept peers whose certificate has this SHA-1 thumbprint (repeatable; instead of or besides --tls-ca)",
        HelpName = "HEX", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> ApiKeyFile { get; } = new("--api-key-file")
    {
        Description = "File holding the cluster's API key: a silo refuses calls from clients without it, a client sends it with every call",
        HelpName = "FILE",
    };
    public Option<string> RedisPasswordFile { get; } = new("--redis-password-file")
    {
        Description = $"File holding the Redis password (or set {RedisConnection.PasswordVariable}); never given on the command line",
        HelpName = "FILE",
    };

    public ClusterOptions()
    {
        CommonOptions.CheckHostPort(Redis, "127.0.0.1:6379", accept: v => v.Contains(','));
        TlsCert.Validators.Add(r =>
        {
            var thumbprints = r.GetResult(TlsThumbprint)?.GetValueOrDefault<string[]>() ?? [];
            if (r.GetValueOrDefault<string>() is not null && r.GetResult(TlsCa) is null && thumbprints.Length == 0)
                r.AddError("--tls-cert needs --tls-ca CA.crt or --tls-thumbprint HEX to check the other side's certificate");
        });
    }

    public IEnumerable<Option> All => [Redis, ClusterId, RedisTimeout, RedisPasswordFile, TlsCert, TlsPassword, TlsCa, TlsThumbprint, ApiKeyFile];

    /// <summary>The API key read from --api-key-file, or null.</summary>
    /// <exception cref="ArgumentException">The file cannot be read or holds no usable key.</exception>
    public string? ApiKeyOf(ParseResult parsed) => parsed.GetValue(ApiKeyFile) is { } file ? ApiKey.Read(file) : null;

    /// <summary>The API key read from --api-key-file, or null.</summary>
    /// <exception cref="UsageException">The file cannot be read or holds no usable key (exit 2).</exception>
    public string? ApiKeyOf(ParseResult parsed, string command)
    {
        try { return ApiKeyOf(parsed); }
        catch (ArgumentException e) { throw new UsageException($"{command}: {e.Message}"); }
    }

    /// <summary>The Redis password from --redis-password-file or MARKETSIM_REDIS_PASSWORD, or null.</summary>
    /// <exception cref="ArgumentException">The file cannot be read.</exception>
    public string? RedisPasswordOf(ParseResult parsed) => RedisConnection.PasswordFrom(parsed.GetValue(RedisPasswordFile));

    /// <summary>Connects a client as the options say: through --redis when given, else through <paramref name="gateway"/>.</summary>
    /// <exception cref="UsageException">Bad options or an unreachable cluster (exit 2).</exception>
    public async Task<MarketSimClient> ConnectAsync(ParseResult parsed, string? gateway, string command, TextWriter err, CancellationToken cancellationToken)
    {
        try
        {
            var tls = TlsOf(parsed);
            var apiKey = ApiKeyOf(parsed);
            if (parsed.GetValue(Redis) is { } redis)
                return await MarketSimClient.ConnectRedisAsync(redis, ClusterIdOf(parsed), TimeoutOf(parsed), tls,
                    m => err.WriteLine($"{command}: {m}"), cancellationToken, apiKey, RedisPasswordOf(parsed));
            if (gateway is null) throw new UsageException($"{command}: give the cluster with --gateway HOST:PORT or --redis HOST:PORT");
            return await MarketSimClient.ConnectAsync(gateway, cancellationToken, ClusterIdOf(parsed), TimeoutOf(parsed), tls, apiKey);
        }
        catch (Exception e) when (e is RedisUnreachableException or ClusterUnreachableException or ArgumentException)
        {
            throw new UsageException($"{command}: {e.Message}");
        }
    }

    public string ClusterIdOf(ParseResult parsed) => parsed.GetValue(ClusterId) ?? ClusterDefaults.ClusterId;

    public TimeSpan TimeoutOf(ParseResult parsed) =>
        parsed.GetValue(RedisTimeout) is { } s ? TimeSpan.FromSeconds(s) : ClusterDefaults.RedisTimeout;

    /// <summary>The TLS settings, or null without --tls-cert.</summary>
    public ClusterTls? TlsOf(ParseResult parsed) => parsed.GetValue(TlsCert) is { } cert
        ? new ClusterTls
        {
            CertificatePath = cert,
            Password = parsed.GetValue(TlsPassword) ?? Environment.GetEnvironmentVariable("MARKETSIM_TLS_PASSWORD"),
            CaCertificatePath = parsed.GetValue(TlsCa),
            Thumbprints = parsed.GetValue(TlsThumbprint) ?? [],
        }
        : null;
}
