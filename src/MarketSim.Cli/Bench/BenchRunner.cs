using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketSim.Cli.Bench;

/// <summary>One bench size: both engines, each measured in its own worker process.</summary>
public sealed record BenchPair(EngineFigures Reference, EngineFigures Orleans)
{
    public double Ratio => Orleans.CustomerTicksPerSecond / Reference.CustomerTicksPerSecond;
}

/// <summary>Starts <c>marketsim bench-worker</c> child processes and assembles the bench report.</summary>
public static class BenchRunner
{
    public const string Method =
        "baseline.yaml with customers.count = N; provider i clones baseline incumbent i mod 8 (renamed -cK for copy K); " +
        "every fleet x (N / 20000) / (copies of its archetype), so capacity per customer and utilisation stay the baseline's";

    /// <summary>Both engines on one size; with <paramref name="silos"/> above 1 the Orleans engine runs on a local cluster
    /// of that many silos (<see cref="LocalCluster"/>), started for the run and stopped after it.</summary>
    public static async Task<BenchPair> RunPairAsync(string scenarioPath, int customers, int providers, int ticks,
        TextWriter log, CancellationToken cancellationToken, int silos = 1)
    {
        var reference = await RunWorkerAsync(EngineFactory.Reference, scenarioPath, customers, providers, ticks, log, cancellationToken);
        if (silos <= 1)
            return new BenchPair(reference, await RunWorkerAsync(EngineFactory.Orleans, scenarioPath, customers, providers, ticks, log, cancellationToken));
        await using var cluster = await LocalCluster.UpAsync(silos, log, cancellationToken);
        var cpu0 = cluster.SiloCpuSeconds();
        var orleans = await RunWorkerAsync(EngineFactory.Orleans, scenarioPath, customers, providers, ticks, log, cancellationToken,
            new ClusterAddress(cluster.Redis, cluster.ClusterId, cluster.PasswordFile));
        var siloPeak = cluster.SiloStatusSum("VmHWM");
        orleans = orleans with
        {
            Silos = silos,
            SiloPeakRssBytes = siloPeak,
            SiloCpuSeconds = cluster.SiloCpuSeconds() - cpu0,
            BytesPerCustomer = (orleans.PeakRssBytes + siloPeak) / (double)customers,
        };
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"bench: orleans   on {silos} silos: their peak RSS {siloPeak / 1048576.0:F0} MiB in all ({orleans.BytesPerCustomer:F0} B per customer with the client's), " +
            $"{orleans.SiloCpuSeconds:F1} s of their processor time (setup included)"));
        return new BenchPair(reference, orleans);
    }

    /// <summary>Measures one size <paramref name="times"/> times, the engines alternating, so that a slow spell of the
    /// machine falls on both.</summary>
    public static async Task<IReadOnlyList<BenchPair>> RunRepeatedAsync(string scenarioPath, int customers, int providers, int ticks,
        int times, TextWriter log, CancellationToken cancellationToken, int silos = 1)
    {
        var pairs = new List<BenchPair>();
        for (var i = 0; i < times; i++)
        {
            if (times > 1) await log.WriteLineAsync($"bench: repetition {i + 1} of {times}");
            pairs.Add(await RunPairAsync(scenarioPath, customers, providers, ticks, log, cancellationToken, silos));
        }
        return pairs;
    }

    /// <summary>The repetition whose ratio is the median (the lower of the middle two for an even count).</summary>
    public static BenchPair Median(IReadOnlyList<BenchPair> pairs) => pairs.OrderBy(p => p.Ratio).ElementAt((pairs.Count - 1) / 2);

    public static async Task<EngineFigures> RunWorkerAsync(string engine, string scenarioPath, int customers, int providers, int ticks,
        TextWriter log, CancellationToken cancellationToken, ClusterAddress? cluster = null)
    {
        var (file, prefix) = SelfCommand();
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in prefix) start.ArgumentList.Add(a);
        foreach (var a in new[]
                 {
                     "bench-worker", "--engine", engine, "--scenario", scenarioPath,
                     "--customers", Invariant(customers), "--providers", Invariant(providers), "--ticks", Invariant(ticks),
                 })
            start.ArgumentList.Add(a);
        if (cluster is not null)
            foreach (var a in new[] { "--redis", cluster.Redis, "--cluster-id", cluster.ClusterId, "--redis-password-file", cluster.PasswordFile })
                start.ArgumentList.Add(a);
        await log.WriteLineAsync($"bench: {engine,-9} {customers,9:N0} customers x {providers} providers x {ticks} ticks ...");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        using var registration = cancellationToken.Register(() =>
        {
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
        });
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"bench worker ({engine}, {customers} customers) exited {process.ExitCode}: {errors.Trim()}");
        var figures = JsonSerializer.Deserialize<EngineFigures>(output, BenchWorker.Json)
            ?? throw new InvalidOperationException($"bench worker ({engine}) printed no figures");
        var traffic = engine == EngineFactory.Orleans
            ? string.Create(CultureInfo.InvariantCulture, $", {figures.GrainMessagesPerTick:F1} coordinator messages and {(figures.CoordinatorBytesSentPerTick + figures.CoordinatorBytesReceivedPerTick) / 1024:F0} KiB a tick, " +
                $"the coordinator busy {figures.CoordinatorBusySecondsPerTick * 1e3:F2} of {figures.CoordinatorTickSecondsPerTick * 1e3:F2} ms a tick")
            : "";
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"bench: {engine,-9} {figures.CustomerTicksPerSecond / 1e6:F2} M customer-ticks/s, {figures.NanosecondsPerCustomerTick:F0} ns per customer-tick, " +
            $"peak RSS {figures.PeakRssBytes / 1048576.0:F0} MiB ({figures.BytesPerCustomer:F0} B per customer), {figures.CoresBusy:F2} cores busy, load average {figures.LoadAverage:F1}{traffic}"));
        return figures;
    }

    /// <summary>How to start this program again: its apphost, or the dotnet host with marketsim.dll.</summary>
    private static (string File, string[] Prefix) SelfCommand()
    {
        var dll = typeof(BenchRunner).Assembly.Location;
        var processPath = Environment.ProcessPath ?? "";
        var processName = Path.GetFileNameWithoutExtension(processPath);
        if (Assembly.GetEntryAssembly() == typeof(BenchRunner).Assembly && processName == "marketsim") return (processPath, []);
        var apphost = Path.Combine(Path.GetDirectoryName(dll)!, OperatingSystem.IsWindows() ? "marketsim.exe" : "marketsim");
        if (File.Exists(apphost)) return (apphost, []);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : processName == "dotnet" ? processPath : "dotnet";
        return (dotnet, [dll]);
    }

    /// <summary>The report written by <c>bench --out</c>.</summary>
    public static JsonObject Report(int customers, int providers, int ticks, BenchPair main, IReadOnlyList<BenchPair>? scaling,
        IReadOnlyList<BenchPair>? repetitions = null)
    {
        var report = new JsonObject
        {
            ["machine"] = new JsonObject
            {
                ["cores"] = Environment.ProcessorCount,
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                ["utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            },
            ["scenario"] = new JsonObject
            {
                ["customers"] = customers,
                ["providers"] = providers,
                ["ticks"] = ticks,
                ["blocks"] = main.Reference.Blocks,
                ["method"] = Method,
            },
            ["customer_ticks_per_second"] = new JsonObject
            {
                ["reference"] = main.Reference.CustomerTicksPerSecond,
                ["orleans"] = main.Orleans.CustomerTicksPerSecond,
            },
            ["ratio_orleans_to_reference"] = main.Ratio,
            ["cpu_ns_per_customer_tick"] = new JsonObject
            {
                ["reference"] = main.Reference.CpuNanosecondsPerCustomerTick,
                ["orleans"] = main.Orleans.CpuNanosecondsPerCustomerTick,
            },
            ["load_average"] = new JsonObject
            {
                ["reference"] = main.Reference.LoadAverage,
                ["orleans"] = main.Orleans.LoadAverage,
            },
            ["peak_rss_bytes"] = new JsonObject
            {
                ["reference"] = main.Reference.PeakRssBytes,
                ["orleans"] = main.Orleans.PeakRssBytes,
            },
            ["bytes_per_customer"] = new JsonObject
            {
                ["reference"] = main.Reference.BytesPerCustomer,
                ["orleans"] = main.Orleans.BytesPerCustomer,
            },
            ["grain_messages_per_tick"] = main.Orleans.GrainMessagesPerTick,
            ["coordinator_bytes_per_tick"] = CoordinatorBytes(main.Orleans),
            ["coordinator_time"] = CoordinatorTime(main.Orleans),
            ["silos"] = main.Orleans.Silos,
            ["fingerprints_match"] = (repetitions ?? [main]).All(r => r.Reference.Fingerprint == r.Orleans.Fingerprint),
            ["engines"] = new JsonObject
            {
                ["reference"] = JsonSerializer.SerializeToNode(main.Reference, BenchWorker.Json),
                ["orleans"] = JsonSerializer.SerializeToNode(main.Orleans, BenchWorker.Json),
            },
        };
        if (repetitions is { Count: > 1 })
        {
            // The figures above are the median repetition's; the spread says how far to trust them.
            report["repetitions"] = new JsonArray([.. repetitions.Select(r => (JsonNode)new JsonObject
            {
                ["customer_ticks_per_second"] = new JsonObject
                {
                    ["reference"] = r.Reference.CustomerTicksPerSecond,
                    ["orleans"] = r.Orleans.CustomerTicksPerSecond,
                },
                ["ratio_orleans_to_reference"] = r.Ratio,
                ["load_average"] = r.Orleans.LoadAverage,
                ["fingerprints_match"] = r.Reference.Fingerprint == r.Orleans.Fingerprint,
            })]);
            report["ratio_min"] = repetitions.Min(r => r.Ratio);
            report["ratio_max"] = repetitions.Max(r => r.Ratio);
        }
        if (scaling is not null)
        {
            var smallest = scaling[0];
            report["scaling"] = new JsonArray([.. scaling.Select(s => (JsonNode)new JsonObject
            {
                ["customers"] = s.Reference.Customers,
                ["ns_per_customer_tick"] = new JsonObject
                {
                    ["reference"] = s.Reference.NanosecondsPerCustomerTick,
                    ["orleans"] = s.Orleans.NanosecondsPerCustomerTick,
                },
                ["relative_to_smallest"] = new JsonObject
                {
                    ["reference"] = s.Reference.NanosecondsPerCustomerTick / smallest.Reference.NanosecondsPerCustomerTick,
                    ["orleans"] = s.Orleans.NanosecondsPerCustomerTick / smallest.Orleans.NanosecondsPerCustomerTick,
                },
                ["ratio_orleans_to_reference"] = s.Ratio,
                ["cpu_ns_per_customer_tick"] = new JsonObject
                {
                    ["reference"] = s.Reference.CpuNanosecondsPerCustomerTick,
                    ["orleans"] = s.Orleans.CpuNanosecondsPerCustomerTick,
                },
                ["load_average"] = s.Orleans.LoadAverage,
                ["bytes_per_customer"] = new JsonObject
                {
                    ["reference"] = s.Reference.BytesPerCustomer,
                    ["orleans"] = s.Orleans.BytesPerCustomer,
                },
                ["ticks"] = s.Reference.Ticks,
                ["customer_ticks_per_second"] = new JsonObject
                {
                    ["reference"] = s.Reference.CustomerTicksPerSecond,
                    ["orleans"] = s.Orleans.CustomerTicksPerSecond,
                },
                ["grain_messages_per_tick"] = s.Orleans.GrainMessagesPerTick,
                ["coordinator_bytes_per_tick"] = CoordinatorBytes(s.Orleans),
                ["coordinator_time"] = CoordinatorTime(s.Orleans),
                ["silos"] = s.Orleans.Silos,
                ["fingerprints_match"] = s.Reference.Fingerprint == s.Orleans.Fingerprint,
            })]);
        }
        return report;
    }

    private static JsonObject CoordinatorBytes(EngineFigures orleans) => new()
    {
        ["sent"] = orleans.CoordinatorBytesSentPerTick,
        ["received"] = orleans.CoordinatorBytesReceivedPerTick,
    };

    /// <summary>The coordinator's own work per tick and its share of the tick (the serial part).</summary>
    private static JsonObject CoordinatorTime(EngineFigures orleans) => new()
    {
        ["busy_ms_per_tick"] = orleans.CoordinatorBusySecondsPerTick * 1e3,
        ["tick_ms"] = orleans.CoordinatorTickSecondsPerTick * 1e3,
        ["busy_share"] = orleans.CoordinatorTickSecondsPerTick > 0 ? orleans.CoordinatorBusySecondsPerTick / orleans.CoordinatorTickSecondsPerTick : 0,
    };

    /// <summary>The scaling sizes as a Markdown table (what <c>bench --scaling</c> prints).</summary>
    public static string ScalingTable(IReadOnlyList<BenchPair> sizes)
    {
        var lines = new List<string>
        {
            "| customers | ticks | reference M customer-ticks/s | Orleans M customer-ticks/s | ratio | ns per customer-tick (ref / Orleans) | peak RSS per customer (ref / Orleans) | coordinator msgs/tick | coordinator KiB/tick (sent / received) | coordinator busy ms/tick (share) | fingerprints match | load average |",
            "|---:|---:|---:|---:|---:|---|---|---:|---|---|:-:|---:|",
        };
        foreach (var s in sizes)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Reference.Customers:N0} | {s.Reference.Ticks} | {s.Reference.CustomerTicksPerSecond / 1e6:F2} | {s.Orleans.CustomerTicksPerSecond / 1e6:F2} | {s.Ratio:F2} | " +
                $"{s.Reference.NanosecondsPerCustomerTick:F0} / {s.Orleans.NanosecondsPerCustomerTick:F0} | {s.Reference.BytesPerCustomer:F0} / {s.Orleans.BytesPerCustomer:F0} B | " +
                $"{s.Orleans.GrainMessagesPerTick:F1} | {s.Orleans.CoordinatorBytesSentPerTick / 1024:F1} / {s.Orleans.CoordinatorBytesReceivedPerTick / 1024:F1} | " +
                $"{s.Orleans.CoordinatorBusySecondsPerTick * 1e3:F2} ({s.Orleans.CoordinatorBusySecondsPerTick / Math.Max(1e-12, s.Orleans.CoordinatorTickSecondsPerTick):P0}) | " +
                $"{(s.Reference.Fingerprint == s.Orleans.Fingerprint ? "yes" : "**no**")} | {s.Reference.LoadAverage:F1}, {s.Orleans.LoadAverage:F1} |"));
        return string.Join('\n', lines);
    }

    private static string Invariant(int n) => n.ToString(CultureInfo.InvariantCulture);
}
