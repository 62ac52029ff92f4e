using System.Diagnostics;
using StackExchange.Redis;

namespace MarketSim.Client;

/// <summary>Redis could not be reached within the bounded time; the message says what, where and how to fix it.</summary>
public sealed class RedisUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The Redis connection settings silos and clients share, and a bounded check that Redis answers.</summary>
public static class RedisConnection
{
    /// <summary>How long silos and clients keep trying to reach Redis before they give up (default).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>StackExchange.Redis options for HOST:PORT (or a full configuration string). A lost connection is
    /// retried in the background (AbortOnConnectFail off), each operation fails after 5 s rather than hanging.</summary>
    public static ConfigurationOptions Options(string redis)
    {
        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 3000;
        options.SyncTimeout = 5000;
        options.AsyncTimeout = 5000;
        options.ConnectRetry = 1;
        return options;
    }

    /// <summary>Checks that Redis at <paramref name="redis"/> answers PING, retrying every second for up to
    /// <paramref name="timeout"/>; <paramref name="report"/> hears of each failed attempt.</summary>
    /// <exception cref="RedisUnreachableException">Redis did not answer in time.</exception>
    public static async Task WaitForAsync(string redis, TimeSpan timeout, Action<string>? report = null,
        CancellationToken cancellationToken = default)
    {
        ConfigurationOptions options;
        try { options = Options(redis); }
        catch (ArgumentException e) { throw new ArgumentException($"'{redis}' is not a Redis address such as 127.0.0.1:6379 ({e.Message})", e); }
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var attemptOptions = options.Clone();
                attemptOptions.AbortOnConnectFail = true;
                attemptOptions.ConnectTimeout = (int)Math.Clamp((timeout - clock.Elapsed).TotalMilliseconds, 500, 3000);
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
                    $"Redis at {redis} did not answer for {timeout.TotalSeconds:0} s ({attempt} attempts; last error: {FirstLine(last)}). " +
                    $"fix: start Redis there (scripts/cluster.sh up N starts one, or redis-server --port {Port(redis)}), " +
                    "or pass the right address with --redis HOST:PORT", last);
            report?.Invoke($"Redis at {redis} does not answer ({FirstLine(last)}); retrying for {left.TotalSeconds:0} more s");
            await Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static string Port(string redis)
    {
        var colon = redis.LastIndexOf(':');
        return colon > 0 ? redis[(colon + 1)..].Split(',')[0] : "6379";
    }

    private static string FirstLine(Exception? e) => e is null ? "" : e.Message.Split('\n')[0].Trim();
}
