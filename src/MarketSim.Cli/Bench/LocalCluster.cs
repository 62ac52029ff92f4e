using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MarketSim.Cli.Bench;

/// <summary>
/// An N-silo cluster on this machine for <c>bench --silos N</c>, started and stopped with <c>scripts/cluster.sh</c>
/// (one redis-server and N <c>marketsim silo</c> processes on loopback), in a folder of its own with free ports, so that
/// it never meets a cluster the user started.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _script;
    private readonly Dictionary<string, string> _environment;
    private readonly TextWriter _log;

    public string Folder { get; }
    public string Redis { get; }
    public string ClusterId { get; }
    public string PasswordFile => Path.Combine(Folder, "redis.password");
    public int Silos { get; }

    private LocalCluster(string script, string folder, int redisPort, int silos, Dictionary<string, string> environment, TextWriter log)
    {
        _script = script;
        Folder = folder;
        Redis = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{redisPort}");
        ClusterId = environment["CLUSTER_ID"];
        Silos = silos;
        _environment = environment;
        _log = log;
    }

    /// <summary>scripts/cluster.sh of the repository this program was built from (or of the current folder's).</summary>
    public static string? FindScript() => BenchScenario.FindInRepository("scripts/cluster.sh");

    /// <summary>Starts redis-server and <paramref name="silos"/> silos and waits until they are active.</summary>
    public static async Task<LocalCluster> UpAsync(int silos, TextWriter log, CancellationToken cancellationToken)
    {
        var script = FindScript() ?? throw new UsageException("bench --silos: scripts/cluster.sh not found (fix: run from the repository)");
        var folder = Directory.CreateTempSubdirectory("marketsim-bench-cluster-").FullName;
        var ports = FreePortRuns(5, silos);
        var environment = new Dictionary<string, string>
        {
            ["CLUSTER_DIR"] = folder,
            ["CLUSTER_ID"] = "marketsim-bench-" + Path.GetFileName(folder).Split('-')[^1],
            ["REDIS_PORT"] = Invariant(ports[0] + 1),
            ["SILO_PORT_BASE"] = Invariant(ports[1]),
            ["GATEWAY_PORT_BASE"] = Invariant(ports[2]),
            ["METRICS_PORT_BASE"] = Invariant(ports[3]),
            ["DASHBOARD_PORT_BASE"] = Invariant(ports[4]),
        };
        var cluster = new LocalCluster(script, folder, ports[0] + 1, silos, environment, log);
        await log.WriteLineAsync($"bench: starting a {silos}-silo cluster with scripts/cluster.sh (Redis {cluster.Redis}, state in {folder}) ...");
        try
        {
            await cluster.ScriptAsync(["up", Invariant(silos)], cancellationToken);
        }
        catch
        {
            await cluster.StopAsync(removeFolder: false);   // the silos' logs stay for the error's reader
            throw;
        }
        return cluster;
    }

    /// <summary>The silos' process ids (from the pid files of scripts/cluster.sh).</summary>
    public IReadOnlyList<int> SiloPids() =>
        [.. Enumerable.Range(1, Silos).Select(i => Path.Combine(Folder, $"silo{i}.pid")).Where(File.Exists)
            .Select(f => int.Parse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture))];

    /// <summary>The sum over the silos of a "kB" line of /proc/PID/status (VmHWM: peak resident memory), bytes.</summary>
    public long SiloStatusSum(string key) => SiloPids().Sum(pid => BenchWorker.ProcStatus(key, $"/proc/{pid}/status"));

    /// <summary>The silos' processor time so far (user + system, /proc/PID/stat), seconds.</summary>
    public double SiloCpuSeconds()
    {
        var ticksPerSecond = 100.0;   // USER_HZ on Linux
        return SiloPids().Sum(pid =>
        {
            var path = $"/proc/{pid}/stat";
            if (!File.Exists(path)) return 0;
            var fields = File.ReadAllText(path).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ticksPerSecond;
        });
    }

    /// <summary>Stops the silos and Redis (<c>scripts/cluster.sh down</c>) and removes the folder.</summary>
    public ValueTask DisposeAsync() => StopAsync(removeFolder: true);

    private async ValueTask StopAsync(bool removeFolder)
    {
        try
        {
            await ScriptAsync(["down"], CancellationToken.None);
        }
        catch (Exception e)
        {
            await _log.WriteLineAsync($"bench: stopping the cluster failed ({e.Message}); its processes' pid files are in {Folder}");
            return;
        }
        if (!removeFolder)
        {
            await _log.WriteLineAsync($"bench: the cluster is stopped; its logs are in {Folder}");
            return;
        }
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }

    private async Task ScriptAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(_script);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in _environment) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = (await stdout + await stderr).Trim();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/cluster.sh {string.Join(' ', arguments)} exited {process.ExitCode}: {output}");
    }

    /// <summary><paramref name="runs"/> port numbers P such that P + 1 .. P + <paramref name="length"/> are all free on
    /// loopback (scripts/cluster.sh gives silo i the port BASE + i).</summary>
    private static int[] FreePortRuns(int runs, int length)
    {
        var bases = new List<int>();
        var taken = new HashSet<int>();
        var random = new Random();
        while (bases.Count < runs)
        {
            var candidate = random.Next(20_000, 60_000 - length);
            var ports = Enumerable.Range(candidate + 1, length).ToArray();
            if (ports.Any(taken.Contains) || !ports.All(Free)) continue;
            foreach (var p in ports) taken.Add(p);
            bases.Add(candidate);
        }
        return [.. bases];
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Invariant(int n) => n.ToString(CultureInfo.InvariantCulture);
}
