using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MarketSim.Silo;

namespace MarketSim.Integration.Tests;

/// <summary>
/// A real Prometheus (the Debian package's /usr/bin/prometheus) on 127.0.0.1 with a temporary data directory,
/// scraping the given targets every second. Killed and its directory removed on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    public const string Promtool = "/usr/bin/promtool";

    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;
    private readonly StringWriter _log = new();

    public Uri Url { get; }

    private PrometheusServer(Process process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Fails the test with what to do when a Prometheus binary is not installed.</summary>
    public static void RequireInstalled(string binary = Binary) =>
        Assert.True(File.Exists(binary),
            $"{binary} is missing: these tests need a real Prometheus. Install it with `apt-get install -y prometheus` " +
            "(Debian's package provides /usr/bin/prometheus and /usr/bin/promtool).");

    public static async Task<PrometheusServer> StartAsync(IEnumerable<string> targets)
    {
        RequireInstalled();
        var directory = Directory.CreateTempSubdirectory("marketsim-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: marketsim
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        var port = EmbeddedCluster.FreePort();
        var start = new ProcessStartInfo(Binary)
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn", "--storage.tsdb.retention.time=1h",
            },
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + Binary);
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Log(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_log) _log.WriteLine(line);
    }

    /// <summary>What Prometheus printed so far (for failure messages).</summary>
    public string Output { get { lock (_log) return _log.ToString(); } }

    private async Task WaitReadyAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await _http.GetAsync("-/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"prometheus was not ready within {limit}:\n{Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>An instant query (/api/v1/query) at the current time: its series, each with its labels and value.</summary>
    public async Task<IReadOnlyList<Series>> QueryAsync(string promql)
    {
        using var response = await _http.PostAsync("api/v1/query", new FormUrlEncodedContent([new("query", promql)]));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode || body.GetProperty("status").GetString() != "success")
            throw new InvalidOperationException($"query failed ({(int)response.StatusCode}): {promql}\n{body}");
        var data = body.GetProperty("data");
        var type = data.GetProperty("resultType").GetString();
        var result = data.GetProperty("result");
        return type switch
        {
            "vector" => [.. result.EnumerateArray().Select(Series.FromVector)],
            "scalar" => [new Series(new Dictionary<string, string>(), ParseValue(result[1]))],
            _ => throw new InvalidOperationException($"unexpected result type {type} for {promql}"),
        };
    }

    /// <summary>Waits until <paramref name="promql"/> returns a series that satisfies <paramref name="until"/>.</summary>
    public async Task<IReadOnlyList<Series>> WaitForAsync(string promql, Func<IReadOnlyList<Series>, bool> until, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var result = await QueryAsync(promql);
            if (until(result)) return result;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"'{promql}' did not reach the expected state within {limit}; last result: " +
                    string.Join("; ", result) + $"\ntargets: {await TargetsAsync()}\n{Output}");
            await Task.Delay(250);
        }
    }

    /// <summary>The scrape targets' health, as Prometheus reports it.</summary>
    public async Task<string> TargetsAsync() => await _http.GetStringAsync("api/v1/targets");

    private static double ParseValue(JsonElement pair) => pair[1].GetString() switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        var s => double.Parse(s!, CultureInfo.InvariantCulture),
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception) { /* already gone */ }
        _process.Dispose();
        _http.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { /* best effort */ }
    }

    /// <summary>One series of an instant query's result.</summary>
    public sealed record Series(IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public static Series FromVector(JsonElement e) => new(
            e.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            ParseValue(e.GetProperty("value")));

        public string this[string label] => Labels.TryGetValue(label, out var v) ? v : "";

        public override string ToString() => $"{{{string.Join(", ", Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value}";
    }
}
