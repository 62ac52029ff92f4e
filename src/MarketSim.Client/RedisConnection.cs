using System.Diagnostics;
using StackExchange.Redis;

namespace MarketSim.Client;

/// <summary>Redis could not be reached within the bounded time; the message says what, where and how to fix it.</summary>
public sealed class RedisUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The Redis connection settings silos and clients share, and a bounded check that Redis answers.</summary>
public static class RedisConnection
{
    /// <summary>StackExchange.Redis options for HOST:PORT (or a full configuration string). A lost connection is
    /// retried in the background (AbortOnConnectFail off), each operation fails after
    /// <see cref="ClusterDefaults.RedisOperationTimeoutMs"/> rather than hanging.</summary>
    /// <param name="password">Redis password (from MARKETSIM_REDIS_PASSWORD or --redis-password-file); null: the one in
    /// <paramref name="redis"/>, if any.</param>
    public static ConfigurationOptions Options(string redis, string? password = null)
    {
        var options = ConfigurationOptions.Parse(redis);
        if (password is not null) options.Password = password;
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = ClusterDefaults.RedisConnectTimeoutMs;
        options.SyncTimeout = ClusterDefaults.RedisOperationTimeoutMs;
        options.AsyncTimeout = ClusterDefaults.RedisOperationTimeoutMs;
        options.ConnectRetry = 1;
        return options;
    }

    /// <summary>Checks that Redis at <paramref name="redis"/> answers PING, retrying every second for up to
    /// <paramref name="timeout"/>; <paramref name="report"/> hears of each failed attempt.</summary>
    /// <exception cref="RedisUnreachableException">Redis did not answer in time.</exception>
    public static async Task WaitForAsync(string redis, TimeSpan timeout, Action<string>? report = null,
        CancellationToken cancellationToken = default, string? password = null)
    {
        ConfigurationOptions options;
        var shown = Redact(redis);
        try { options = Options(redis, password); }
        catch (ArgumentException e) { throw new ArgumentException($"'{shown}' is not a Redis address such as 127.0.0.1:6379 ({Redact(e.Message)})"); }
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var attemptOptions = options.Clone();
                attemptOptions.AbortOnConnectFail = true;
                attemptOptions.ConnectTimeout = (int)Math.Clamp((timeout - clock.Elapsed).TotalMilliseconds, ClusterDefaults.RedisMinConnectTimeoutMs, ClusterDefaults.RedisConnectTimeoutMs);
                await using var connection = await ConnectionMultiplexer.ConnectAsync(attemptOptions);
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException or System.Net.Sockets.SocketException)
            {
                last = e;
            }
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
                throw new RedisUnreachableException(
                    $"Redis at {shown} did not answer for {timeout.TotalSeconds:0} s ({attempt} attempts; last error: {FirstLine(last)}). " +
                    $"fix: start Redis there (scripts/cluster.sh up N starts one, or redis-server --port {Port(redis)}), " +
                    "or pass the right address with --redis HOST:PORT", last);
            report?.Invoke($"Redis at {shown} does not answer ({FirstLine(last)}); retrying for {left.TotalSeconds:0} more s");
            await Task.Delay(left < ClusterDefaults.ConnectRetryDelay ? left : ClusterDefaults.ConnectRetryDelay, cancellationToken);
        }
    }

    private static int Port(string redis) => HostPort.PortOr(redis.Split(',')[0], DefaultPort);

    /// <summary>The port Redis listens on unless told otherwise.</summary>
    public const int DefaultPort = 6379;

    private static string FirstLine(Exception? e) => e is null ? "" : Redact(e.Message.Split('\n')[0].Trim());

    /// <summary>A Redis configuration string (or a message quoting one) with its password replaced by ***, for
    /// printing: <c>redis:6379,password=s3cret</c> becomes <c>redis:6379,password=***</c>.</summary>
    public static string Redact(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"(?i)(password\s*=\s*)[^,\s]*", "$1***");

    /// <summary>The Redis password a process was given: the content of <paramref name="passwordFile"/> (trimmed) if
    /// given, else the environment variable MARKETSIM_REDIS_PASSWORD, else null. Never taken from the command line,
    /// so that it does not show in <c>ps</c>.</summary>
    /// <exception cref="ArgumentException">The file cannot be read (the message names it, not its content).</exception>
    public static string? PasswordFrom(string? passwordFile)
    {
        if (passwordFile is null)
            return Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        try
        {
            var password = File.ReadAllText(passwordFile).Trim();
            return password.Length > 0 ? password
                : throw new ArgumentException($"{passwordFile}: the Redis password file is empty (fix: write the password into it, e.g. openssl rand -hex 24 > {passwordFile})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{passwordFile}: cannot read the Redis password file: {e.Message} (fix: give --redis-password-file a readable file)");
        }
    }

    /// <summary>Environment variable holding the Redis password.</summary>
    public const string PasswordVariable = "MARKETSIM_REDIS_PASSWORD";
}
