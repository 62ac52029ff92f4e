using System.Diagnostics;

namespace MarketSim.Cluster.Tests;

/// <summary>Real silo processes on a real redis-server: runs survive the loss of a silo, a graceful stop and a
/// whole-cluster restart, and end with the fingerprint of an undisturbed (reference) run.</summary>
public sealed class FailoverTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(150);

    [Theory]
    [InlineData(7)]
    [InlineData(23)]
    [InlineData(41)]
    public async Task A_silo_killed_mid_run_costs_nothing_but_a_replay(int killAtTick)
    {
        var expected = await Reference.FingerprintAsync();
        await using var cluster = await ClusterProcesses.StartAsync(3);
        var dir = cluster.Out("run");
        var run = cluster.Run(dir, 60, "--checkpoint-every", "10", "--pace", "10");
        await RunFiles.WaitForTickAsync(dir, killAtTick, run, TimeSpan.FromSeconds(60));
        cluster.Silos[1].Process.Signal("KILL");
        Assert.True(await run.WaitAsync(RunLimit) == 0, run.ToString());
        Assert.Equal(expected, RunFiles.Fingerprint(dir));
        Assert.Equal(60, RunFiles.TicksWritten(dir));
    }

    [Fact]
    public async Task Losing_the_silo_of_an_agent_group_mid_run_costs_nothing_but_a_replay()
    {
        var expected = await Reference.FingerprintAsync();
        await using var cluster = await ClusterProcesses.StartAsync(3, new Dictionary<string, string> { ["MARKETSIM_SILO_LOG"] = "Information" });
        var dir = cluster.Out("run");
        const string runId = "group-loss";
        var run = cluster.Run(dir, 60, "--checkpoint-every", "10", "--pace", "10", "--run-id", runId);
        await RunFiles.WaitForTickAsync(dir, 20, run, TimeSpan.FromSeconds(60));
        // Three silos, three groups, one on each; the silo to kill hosts a group but not the coordinator.
        string Log((Child Process, int, int) s) => s.Process.Out + s.Process.Err;
        var groups = cluster.Silos.Select(s => Enumerable.Range(0, 3).Where(g => Log(s).Contains($"run {runId}: agent group {g} of 3")).ToArray()).ToList();
        Assert.True(groups.All(g => g.Length == 1) && groups.SelectMany(g => g).Distinct().Count() == 3,
            "groups by silo: " + string.Join("; ", groups.Select(g => string.Join(",", g))));
        var victim = cluster.Silos.First(s => !Log(s).Contains($"run {runId}: coordinator active"));
        victim.Process.Signal("KILL");
        Assert.True(await run.WaitAsync(RunLimit) == 0, run.ToString());
        Assert.Equal(expected, RunFiles.Fingerprint(dir));
        Assert.Equal(60, RunFiles.TicksWritten(dir));
        // The group was rebuilt on a silo left.
        var survivors = cluster.Silos.Where(s => s != victim).Select(Log).ToList();
        var lost = groups[cluster.Silos.IndexOf(victim)][0];
        Assert.True(survivors.Count(l => System.Text.RegularExpressions.Regex.Matches(l, $"run {runId}: agent group {lost} of 3").Count > 0) >= 1);
    }

    [Fact]
    public async Task A_silo_stopped_gracefully_mid_run_loses_nothing()
    {
        var expected = await Reference.FingerprintAsync();
        await using var cluster = await ClusterProcesses.StartAsync(3);
        var dir = cluster.Out("run");
        var run = cluster.Run(dir, 60, "--checkpoint-every", "10", "--pace", "10");
        await RunFiles.WaitForTickAsync(dir, 25, run, TimeSpan.FromSeconds(60));
        var silo = cluster.Silos[2].Process;
        silo.Signal("TERM");
        Assert.Equal(0, await silo.WaitAsync(TimeSpan.FromSeconds(45)));
        Assert.True(await run.WaitAsync(RunLimit) == 0, run.ToString());
        Assert.Equal(expected, RunFiles.Fingerprint(dir));
    }

    [Fact]
    public async Task A_run_resumes_from_its_last_checkpoint_after_a_whole_cluster_restart()
    {
        var expected = await Reference.FingerprintAsync();
        await using var cluster = await ClusterProcesses.StartAsync(3);
        var first = cluster.Out("first");
        const string runId = "restart-test";
        var run = cluster.Run(first, 60, "--checkpoint-every", "10", "--pace", "10", "--run-id", runId);
        await RunFiles.WaitForTickAsync(first, 35, run, TimeSpan.FromSeconds(60));
        foreach (var (silo, _, _) in cluster.Silos) silo.Signal("KILL");
        run.Signal("KILL");
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var (silo, _, _) in cluster.Silos) await silo.WaitAsync(TimeSpan.FromSeconds(10));

        cluster.Silos.Clear();
        await cluster.StartSilosAsync(3);
        var second = cluster.Out("second");
        var resumed = cluster.Run(second, 60, "--checkpoint-every", "10", "--run-id", runId);
        Assert.True(await resumed.WaitAsync(RunLimit) == 0, resumed.ToString());
        // The files showed tick 35 when the cluster died; the coordinator may have run a few ticks further before
        // the kill reached it, so its last checkpoint is tick 30 or a later multiple of 10, never tick 0.
        var at = System.Text.RegularExpressions.Regex.Match(resumed.Err, @"resuming on the cluster at tick (\d+) of 60");
        Assert.True(at.Success, resumed.ToString());
        var resumedAt = int.Parse(at.Groups[1].Value);
        Assert.True(resumedAt is >= 30 and < 60 && resumedAt % 10 == 0, $"resumed at tick {resumedAt}\n{resumed}");
        Assert.Contains($"ticks 0..{resumedAt - 1} are read from the run's log", resumed.Err);
        Assert.Equal(expected, RunFiles.Fingerprint(second));
        Assert.Equal(60, RunFiles.TicksWritten(second));
    }

    [Fact]
    public async Task Four_runs_at_once_on_three_silos_each_match_their_solo_run()
    {
        int[] seeds = [1, 2, 3, 4];
        var expected = new List<string>();
        foreach (var s in seeds) expected.Add(await Reference.FingerprintAsync(40, s));
        await using var cluster = await ClusterProcesses.StartAsync(3);
        var runs = seeds.Select(s => (Dir: cluster.Out($"seed{s}"), Seed: s)).Select(r =>
            (r.Dir, Child: cluster.Run(r.Dir, 40, "--seed", $"{r.Seed}", "--checkpoint-every", "10"))).ToList();
        foreach (var (dir, child) in runs) Assert.True(await child.WaitAsync(RunLimit) == 0, child.ToString());
        Assert.Equal(expected, runs.Select(r => RunFiles.Fingerprint(r.Dir)));
    }
}

/// <summary>Redis unreachable: silos and clients say so and give up within the bounded time.</summary>
public sealed class RedisDownTests
{
    [Fact]
    public async Task A_silo_without_redis_exits_non_zero_with_the_address_and_a_fix()
    {
        var port = Repo.FreePort();
        using var silo = new Child("silo", "dotnet", [Repo.Cli, "silo", "--redis", $"127.0.0.1:{port}", "--redis-timeout", "4",
            "--silo-port", $"{Repo.FreePort()}", "--gateway-port", $"{Repo.FreePort()}"]);
        var clock = Stopwatch.StartNew();
        var code = await silo.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3.5), $"gave up after {clock.Elapsed}, before the 4 s of retries");
        Assert.Contains($"Redis at 127.0.0.1:{port} did not answer", silo.Err);
        Assert.Contains("fix:", silo.Err);
        Assert.Contains("retrying", silo.Err);
    }

    [Fact]
    public async Task A_run_without_redis_exits_non_zero_with_the_address_and_a_fix()
    {
        var port = Repo.FreePort();
        var dir = Directory.CreateTempSubdirectory("marketsim-run-").FullName;
        using var run = new Child("run", "dotnet", [Repo.Cli, "run", Repo.PathOf("config", "scenarios", "price-war.yaml"), "--ticks", "5",
            "--redis", $"127.0.0.1:{port}", "--redis-timeout", "4", "--out", dir, "--quiet"]);
        var clock = Stopwatch.StartNew();
        var code = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Contains($"Redis at 127.0.0.1:{port} did not answer", run.Err);
        Assert.Contains("fix:", run.Err);
        Directory.Delete(dir, true);
    }
}

/// <summary>TLS between silos and clients: a client with a certificate from the cluster's CA joins, one from
/// another CA cannot.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Only_a_client_with_a_certificate_from_the_cluster_CA_can_join()
    {
        var certs = Directory.CreateTempSubdirectory("marketsim-certs-").FullName;
        try
        {
            await MakeCerts(certs, "silo", "client");
            await MakeCerts(Path.Combine(certs, "other"), "rogue");
            string[] Tls(string pfx, string ca) => ["--tls-cert", pfx, "--tls-password", "marketsim", "--tls-ca", ca];
            var ca = Path.Combine(certs, "ca.crt");
            await using var cluster = await ClusterProcesses.StartAsync(2, Tls(Path.Combine(certs, "silo.pfx"), ca));

            var rogueDir = cluster.Out("rogue");
            var rogue = cluster.Run(rogueDir, 5, [.. Tls(Path.Combine(certs, "other", "rogue.pfx"), Path.Combine(certs, "other", "ca.crt")), "--redis-timeout", "8"]);
            var code = await rogue.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(code == 2, rogue.ToString());
            Assert.Contains("no gateway of cluster", rogue.Err);

            var plain = cluster.Run(cluster.Out("plain"), 5, "--redis-timeout", "8");
            Assert.True(await plain.WaitAsync(TimeSpan.FromSeconds(60)) == 2, plain.ToString());

            var goodDir = cluster.Out("good");
            var good = cluster.Run(goodDir, 10, Tls(Path.Combine(certs, "client.pfx"), ca));
            Assert.True(await good.WaitAsync(TimeSpan.FromSeconds(90)) == 0, good.ToString());
            Assert.Equal(await Reference.FingerprintAsync(10), RunFiles.Fingerprint(goodDir));
        }
        finally
        {
            Directory.Delete(certs, true);
        }
    }

    private static async Task MakeCerts(string dir, params string[] names)
    {
        using var p = new Child("make-certs", Repo.PathOf("scripts", "make-certs.sh"), [dir, .. names]);
        Assert.True(await p.WaitAsync(TimeSpan.FromSeconds(60)) == 0, p.ToString());
    }
}
