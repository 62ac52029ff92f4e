using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketSim.Client;
using MarketSim.Contracts;
using MarketSim.Model.Engine;
using MarketSim.Grains;
using MarketSim.Silo;

namespace MarketSim.Cli.Bench;

/// <summary>What one engine did in one worker process.</summary>
public sealed record EngineFigures
{
    public string Engine { get; init; } = "";
    public int Customers { get; init; }
    public int Providers { get; init; }
    public int Ticks { get; init; }
    public int Blocks { get; init; }
    /// <summary>Seconds to create the agents (customers drawn, grains activated), not in the throughput.</summary>
    public double SetupSeconds { get; init; }
    /// <summary>Seconds to run all ticks and take the fingerprint.</summary>
    public double RunSeconds { get; init; }
    public double CustomerTicksPerSecond { get; init; }
    public double NanosecondsPerCustomerTick { get; init; }
    /// <summary>Process CPU time during the run, seconds (robust to other load on the machine, unlike wall time).</summary>
    public double CpuSeconds { get; init; }
    /// <summary>CPU time per customer-tick, ns.</summary>
    public double CpuNanosecondsPerCustomerTick { get; init; }
    /// <summary>The machine's 1-minute load average at the end of the run (/proc/loadavg): above the core count,
    /// other processes took CPU from this one and wall-time figures are pessimistic.</summary>
    public double LoadAverage { get; init; }
    /// <summary>Process CPU time over wall time during the run: 1 is one busy core.</summary>
    public double CoresBusy { get; init; }
    /// <summary>Peak resident memory of the worker process (VmHWM), bytes.</summary>
    public long PeakRssBytes { get; init; }
    /// <summary>Resident memory before the engine was created (runtime, silo), bytes.</summary>
    public long BaseRssBytes { get; init; }
    public double BytesPerCustomer { get; init; }
    /// <summary>(peak - base) / customers: what the customers and their engine add.</summary>
    public double MarginalBytesPerCustomer { get; init; }
    /// <summary>Grain calls per tick made by the run coordinator (0 for the reference engine).</summary>
    public double GrainMessagesPerTick { get; init; }
    /// <summary>Payload bytes per tick of the messages the run coordinator sent to its agents and received from them
    /// (their binary form, <see cref="MarketSim.Contracts.TickTraffic"/>; 0 for the reference engine).</summary>
    public double CoordinatorBytesSentPerTick { get; init; }
    public double CoordinatorBytesReceivedPerTick { get; init; }
    /// <summary>The coordinator's own work per tick, seconds (the tick's time less its waits for the agents' replies):
    /// the serial part of a tick, which more silos do not shorten.</summary>
    public double CoordinatorBusySecondsPerTick { get; init; }
    /// <summary>A tick's time as the coordinator saw it, seconds.</summary>
    public double CoordinatorTickSecondsPerTick { get; init; }
    public long GcCount { get; init; }
    public long AllocatedBytes { get; init; }
    public string Fingerprint { get; init; } = "";
    /// <summary>Silos the Orleans engine ran on: 1 embedded in the worker, N on a local cluster (<c>bench --silos N</c>;
    /// then the worker is the cluster's client and the silos' figures are below).</summary>
    public int Silos { get; init; } = 1;
    /// <summary>On a local cluster: the sum of the silos' peak resident memory, bytes (in <see cref="BytesPerCustomer"/>
    /// with the client's).</summary>
    public long SiloPeakRssBytes { get; init; }
    /// <summary>On a local cluster: the silos' processor time from the run's start to its end, seconds, setup included
    /// (in <see cref="CoresBusy"/>).</summary>
    public double SiloCpuSeconds { get; init; }
    /// <summary>Seconds per phase of the reference engine over the run (only with <c>--profile</c>).</summary>
    public Dictionary<string, double>? PhaseSeconds { get; init; }
}

/// <summary>A local cluster for the Orleans worker to use instead of an embedded silo (<see cref="LocalCluster"/>).</summary>
public sealed record ClusterAddress(string Redis, string ClusterId, string PasswordFile);

/// <summary>The hidden <c>bench-worker</c> mode: runs one engine on the bench scenario in this process and prints
/// its <see cref="EngineFigures"/> as one JSON line, so that peak memory is this engine's alone.</summary>
public static class BenchWorker
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<EngineFigures> RunAsync(string engine, Scenario scenario, CancellationToken cancellationToken, bool profile = false,
        ClusterAddress? cluster = null)
    {
        if (profile)
        {
            var clock = Stopwatch.StartNew();
            var phases = PhaseProfile.Run(new MarketSetup(scenario));
            return new EngineFigures
            {
                Engine = "reference (phase profile)", Customers = scenario.Customers.Count, Ticks = scenario.Ticks,
                RunSeconds = clock.Elapsed.TotalSeconds, PhaseSeconds = phases, PeakRssBytes = ProcStatus("VmHWM"),
            };
        }
        var setup = new MarketSetup(scenario);
        var warmup = Warmup(scenario);
        double setupSeconds, runSeconds, cpuSeconds;
        long baseRss, gcBefore, allocatedBefore;
        var traffic = new TickTraffic(0, 0, 0, 0);
        string fingerprint;
        var process = Process.GetCurrentProcess();
        switch (engine)
        {
            case EngineFactory.Reference:
            {
                await WarmUp(() =>
                {
                    var warm = new ReferenceEngine(new MarketSetup(warmup));
                    while (!warm.Finished) warm.Step();
                    return Task.CompletedTask;
                }, cancellationToken);
                GC.Collect();
                baseRss = ProcStatus("VmRSS");
                var clock = Stopwatch.StartNew();
                var reference = new ReferenceEngine(setup);
                setupSeconds = clock.Elapsed.TotalSeconds;
                await JitSettled(cancellationToken);
                (gcBefore, allocatedBefore) = (GcCount(), GC.GetTotalAllocatedBytes(precise: false));
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                clock.Restart();
                while (!reference.Finished)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    reference.Step();
                }
                fingerprint = reference.Fingerprint();
                runSeconds = clock.Elapsed.TotalSeconds;
                process.Refresh();
                cpuSeconds = (process.TotalProcessorTime - cpu0).TotalSeconds;
                break;
            }
            case EngineFactory.Orleans:
            {
                await using var embedded = cluster is null ? await EmbeddedCluster.StartAsync(cancellationToken) : null;
                await using var remote = cluster is null ? null
                    : await MarketSimClient.ConnectRedisAsync(cluster.Redis, cluster.ClusterId, TimeSpan.FromSeconds(60),
                        cancellationToken: cancellationToken,
                        redisPassword: cluster.PasswordFile.Length > 0 ? (await File.ReadAllTextAsync(cluster.PasswordFile, cancellationToken)).Trim() : null);
                var client = (embedded?.Client ?? remote!).Cluster;
                await WarmUp(async () =>
                {
                    var warm = await SimulationRun.StartAsync(client, warmup, cancellationToken: cancellationToken);
                    while (!warm.Finished && !cancellationToken.IsCancellationRequested) await warm.AdvanceAsync(64, cancellationToken);
                }, cancellationToken);
                GC.Collect();
                baseRss = ProcStatus("VmRSS");
                var clock = Stopwatch.StartNew();
                var run = await SimulationRun.StartAsync(client, scenario, cancellationToken: cancellationToken);
                setupSeconds = clock.Elapsed.TotalSeconds;
                await JitSettled(cancellationToken);
                (gcBefore, allocatedBefore) = (GcCount(), GC.GetTotalAllocatedBytes(precise: false));
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                clock.Restart();
                while (!run.Finished && !cancellationToken.IsCancellationRequested) await run.AdvanceAsync(64, cancellationToken);
                var runFingerprint = await run.FingerprintAsync();
                runSeconds = clock.Elapsed.TotalSeconds;
                process.Refresh();
                cpuSeconds = (process.TotalProcessorTime - cpu0).TotalSeconds;
                traffic = await client.GetGrain<IRunCoordinatorGrain>(run.RunId).Traffic();
                fingerprint = runFingerprint;
                break;
            }
            default:
                throw new UsageException($"unknown engine '{engine}'");
        }
        var peak = ProcStatus("VmHWM");
        var customerTicks = (double)setup.CustomerCount * setup.Ticks;
        return new EngineFigures
        {
            Engine = engine,
            Customers = setup.CustomerCount,
            Providers = setup.ProviderCount,
            Ticks = setup.Ticks,
            Blocks = setup.BlockCount,
            SetupSeconds = setupSeconds,
            RunSeconds = runSeconds,
            CustomerTicksPerSecond = customerTicks / runSeconds,
            NanosecondsPerCustomerTick = runSeconds * 1e9 / customerTicks,
            CoresBusy = cpuSeconds / runSeconds,
            CpuSeconds = cpuSeconds,
            CpuNanosecondsPerCustomerTick = cpuSeconds * 1e9 / customerTicks,
            LoadAverage = LoadAverage1(),
            PeakRssBytes = peak,
            BaseRssBytes = baseRss,
            BytesPerCustomer = peak / (double)setup.CustomerCount,
            MarginalBytesPerCustomer = (peak - baseRss) / (double)setup.CustomerCount,
            GrainMessagesPerTick = traffic.Calls / (double)setup.Ticks,
            CoordinatorBytesSentPerTick = traffic.BytesSent / (double)setup.Ticks,
            CoordinatorBytesReceivedPerTick = traffic.BytesReceived / (double)setup.Ticks,
            CoordinatorBusySecondsPerTick = (traffic.TickSeconds - traffic.WaitSeconds) / setup.Ticks,
            CoordinatorTickSecondsPerTick = traffic.TickSeconds / setup.Ticks,
            GcCount = GcCount() - gcBefore,
            AllocatedBytes = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore,
            Fingerprint = fingerprint,
        };
    }

    /// <summary>The untimed run each engine makes first, so that the figures are of compiled code, not of the JIT
    /// compiling it (which at 10k customers and 100 ticks took most of the time): the scenario with at most 20,000
    /// customers for 20 ticks.</summary>
    public static Scenario Warmup(Scenario scenario)
    {
        var warm = ScenarioJson.Deserialize(ScenarioJson.Serialize(scenario));
        warm.Customers.Count = Math.Min(warm.Customers.Count, WarmupCustomers);
        warm.Ticks = Math.Min(warm.Ticks, WarmupTicks);
        return warm;
    }

    /// <summary>Runs the warm-up until the JIT is done with the engine's code: the runtime compiles a method again,
    /// optimised, only after it has been called often once compilation has paused, so the first warm-up leaves much of
    /// the code (the Orleans engine's most) to be recompiled in the timed run, on a core the run needs. At most
    /// <see cref="MaxWarmups"/> runs; stops when one compiles fewer than 20 methods.</summary>
    private static async Task WarmUp(Func<Task> warmOnce, CancellationToken cancellationToken)
    {
        for (var i = 0; i < MaxWarmups; i++)
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            await warmOnce();
            await JitSettled(cancellationToken);
            if (System.Runtime.JitInfo.GetCompiledMethodCount() - before < 20) break;
        }
    }

    public const int MaxWarmups = 4;

    /// <summary>Waits (at most 10 s) until the JIT has compiled nothing for 300 ms: the runtime recompiles methods a
    /// setup called often (JSON, the scenario's checks) in the background some time later, which on a small machine
    /// would take a core from the timed run.</summary>
    private static async Task JitSettled(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var count = System.Runtime.JitInfo.GetCompiledMethodCount();
        var quiet = Stopwatch.StartNew();
        while (quiet.ElapsedMilliseconds < 300 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, cancellationToken);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == count) continue;
            count = now;
            quiet.Restart();
        }
    }

    public const int WarmupCustomers = 20_000, WarmupTicks = 20;

    private static double LoadAverage1() => File.Exists("/proc/loadavg")
        ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : 0;

    private static long GcCount() => GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);

    /// <summary>A "kB" line of /proc/self/status (or of <paramref name="path"/>) in bytes (0 where there is no such file).</summary>
    public static long ProcStatus(string key, string path = "/proc/self/status")
    {
        if (!File.Exists(path)) return 0;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(key + ":", StringComparison.Ordinal)) continue;
            var parts = line[(key.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }
}
