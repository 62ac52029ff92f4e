using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MarketSim.Cluster.Tests;

/// <summary>The repository and the built CLI (built once, by the repository's ./marketsim script, if missing or stale).</summary>
public static class Repo
{
    private static readonly Lazy<string> Built = new(() =>
    {
        var p = Process.Start(new ProcessStartInfo(Path.Combine(Root, "marketsim"), "--help")
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("./marketsim --help failed: " + err.Result);
        return Path.Combine(Root, ".artifacts", "cli", "marketsim.dll");
    });

    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MarketSim.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("no MarketSim.sln above " + AppContext.BaseDirectory);
        }
    }

    public static string Cli => Built.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

/// <summary>A child process with its output captured; killed (with its children) on dispose.</summary>
public sealed class Child : IDisposable
{
    private readonly StringBuilder _out = new(), _err = new();
    public Process Process { get; }
    public string Name { get; }

    public Child(string name, string file, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Name = name;
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Repo.Root };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["MARKETSIM_DEBUG"] = "0";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        Process = new Process { StartInfo = info };
        Process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
        Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.AppendLine(e.Data); };
        Process.Start();
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public string Out { get { lock (_out) return _out.ToString(); } }
    public string Err { get { lock (_err) return _err.ToString(); } }
    public override string ToString() => $"{Name}: stdout:\n{Out}\nstderr:\n{Err}";

    public async Task<int> WaitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try { await Process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"{Name} did not exit within {limit}\n{this}"); }
        Process.WaitForExit();
        return Process.ExitCode;
    }

    public async Task WaitForOutputAsync(string text, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!Out.Contains(text))
        {
            if (Process.HasExited) throw new InvalidOperationException($"{Name} exited ({Process.ExitCode}) before printing '{text}'\n{this}");
            if (clock.Elapsed > limit) throw new TimeoutException($"{Name} did not print '{text}' within {limit}\n{this}");
            await Task.Delay(100);
        }
    }

    public void Signal(string signal)
    {
        if (Process.HasExited) return;
        using var kill = Process.Start("kill", $"-{signal} {Process.Id}")!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        try { if (!Process.HasExited) Process.Kill(entireProcessTree: true); Process.WaitForExit(5000); } catch (InvalidOperationException) { }
        Process.Dispose();
    }
}

/// <summary>A redis-server on a free loopback port with a temporary folder; killed and deleted on dispose.</summary>
public sealed class Redis : IDisposable
{
    private readonly Child _server;
    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";
    public string Folder { get; } = Directory.CreateTempSubdirectory("marketsim-redis-").FullName;

    private Redis(int port)
    {
        Port = port;
        _server = new Child("redis-server", "redis-server", ["--port", $"{port}", "--bind", "127.0.0.1", "--dir", Folder, "--save", "", "--appendonly", "no"]);
    }

    public static async Task<Redis> StartAsync()
    {
        var redis = new Redis(Repo.FreePort());
        for (var i = 0; ; i++)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, redis.Port);
                return redis;
            }
            catch (SocketException) when (i < 100) { await Task.Delay(100); }
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        try { Directory.Delete(Folder, true); } catch (IOException) { }
    }
}

/// <summary>Silo processes (marketsim silo --redis) and CLI runs, all killed on dispose.</summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    private readonly ConcurrentBag<Child> _children = [];
    public Redis Redis { get; }
    public string ClusterId { get; } = "t" + Guid.NewGuid().ToString("N")[..8];
    public string Folder { get; } = Directory.CreateTempSubdirectory("marketsim-cluster-").FullName;
    public List<(Child Process, int SiloPort, int GatewayPort)> Silos { get; } = [];
    /// <summary>Environment variables of the silos started from now on.</summary>
    public Dictionary<string, string> SiloEnvironment { get; } = [];

    private ClusterProcesses(Redis redis) => Redis = redis;

    public static Task<ClusterProcesses> StartAsync(int silos, params string[] siloArgs) => StartAsync(silos, null, siloArgs);

    public static async Task<ClusterProcesses> StartAsync(int silos, IReadOnlyDictionary<string, string>? siloEnvironment, params string[] siloArgs)
    {
        _ = Repo.Cli;
        var c = new ClusterProcesses(await Redis.StartAsync());
        foreach (var (k, v) in siloEnvironment ?? new Dictionary<string, string>()) c.SiloEnvironment[k] = v;
        await c.StartSilosAsync(silos, siloArgs);
        return c;
    }

    public async Task StartSilosAsync(int count, params string[] siloArgs)
    {
        var started = new List<Child>();
        for (var i = 0; i < count; i++)
        {
            var (siloPort, gatewayPort) = (Repo.FreePort(), Repo.FreePort());
            var silo = Start($"silo {siloPort}", ["silo", "--redis", Redis.Address, "--cluster-id", ClusterId,
                "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}", .. siloArgs], SiloEnvironment);
            Silos.Add((silo, siloPort, gatewayPort));
            started.Add(silo);
        }
        await Task.WhenAll(started.Select(s => s.WaitForOutputAsync("silo ready", TimeSpan.FromSeconds(60))));
    }

    public Child Start(string name, IEnumerable<string> cliArgs, IReadOnlyDictionary<string, string>? environment = null)
    {
        var child = new Child(name, "dotnet", [Repo.Cli, .. cliArgs], environment: environment);
        _children.Add(child);
        return child;
    }

    /// <summary>A run of price-war shortened to <paramref name="ticks"/> ticks and 2000 customers on this cluster.</summary>
    public Child Run(string outDir, int ticks = 60, params string[] extra) =>
        Start($"run {Path.GetFileName(outDir)}", ["run", Repo.PathOf("config", "scenarios", "price-war.yaml"), "--ticks", $"{ticks}",
            "--set", "customers.count=2000", "--redis", Redis.Address, "--cluster-id", ClusterId, "--out", outDir, "--quiet", .. extra]);

    public string Out(string name) => Path.Combine(Folder, name);

    public ValueTask DisposeAsync()
    {
        foreach (var c in _children) c.Dispose();
        Redis.Dispose();
        try { Directory.Delete(Folder, true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

public static class RunFiles
{
    /// <summary>Rows of market.csv written so far (ticks observed).</summary>
    public static int TicksWritten(string outDir)
    {
        var path = Path.Combine(outDir, "market.csv");
        if (!File.Exists(path)) return 0;
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var r = new StreamReader(s);
            var lines = r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            return Math.Max(0, lines - 1);
        }
        catch (IOException) { return 0; }
    }

    public static async Task WaitForTickAsync(string outDir, int tick, Child run, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (TicksWritten(outDir) < tick)
        {
            if (run.Process.HasExited) throw new InvalidOperationException($"the run ended before tick {tick}\n{run}");
            if (clock.Elapsed > limit) throw new TimeoutException($"the run did not reach tick {tick} within {limit}\n{run}");
            await Task.Delay(50);
        }
    }

    public static string Fingerprint(string outDir)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        return FindFingerprint(doc.RootElement) ?? throw new InvalidOperationException("no fingerprint in summary.json");
    }

    private static string? FindFingerprint(System.Text.Json.JsonElement e)
    {
        if (e.ValueKind != System.Text.Json.JsonValueKind.Object) return null;
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name == "fingerprint" && p.Value.ValueKind == System.Text.Json.JsonValueKind.String) return p.Value.GetString();
            if (FindFingerprint(p.Value) is { } f) return f;
        }
        return null;
    }
}

/// <summary>Fingerprints of reference (sequential, in-process engine) runs of price-war, by seed and ticks, computed once.</summary>
public static class Reference
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Cache = new();

    public static Task<string> FingerprintAsync(int ticks = 60, int seed = 0) =>
        Cache.GetOrAdd($"{ticks}/{seed}", _ => new Lazy<Task<string>>(async () =>
        {
            var dir = Directory.CreateTempSubdirectory("marketsim-ref-").FullName;
            string[] seedArgs = seed == 0 ? [] : ["--seed", $"{seed}"];
            using var run = new Child("reference run", "dotnet", [Repo.Cli, "run", Repo.PathOf("config", "scenarios", "price-war.yaml"),
                "--engine", "reference", "--ticks", $"{ticks}", "--set", "customers.count=2000", "--out", dir, "--quiet", .. seedArgs]);
            Assert.True(await run.WaitAsync(TimeSpan.FromMinutes(2)) == 0, run.ToString());
            var f = RunFiles.Fingerprint(dir);
            Directory.Delete(dir, true);
            return f;
        })).Value;
}
