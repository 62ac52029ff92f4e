using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests;

/// <summary>Hostile or mistaken input at the command line's boundaries: output folders, checkpoint files, names
/// that are paths, files that are not scenarios. Every refusal is exit 2 with the path, what is wrong and a fix, and
/// never an exception type name.</summary>
public sealed class TrustBoundaryTests
{
    private static void AssertRefused(CliResult result, params string[] expected)
    {
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Err}");
        foreach (var text in expected) Assert.Contains(text, result.Err);
        Assert.Contains("fix:", result.Err);
        Assert.DoesNotContain("Exception", result.Err);
    }

    [Fact]
    public async Task A_run_into_a_folder_holding_other_files_is_refused_and_with_force_empties_it_first()
    {
        var dir = TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "mine");

        var refused = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "3", "--out", dir, "--quiet");
        AssertRefused(refused, dir, "not empty", "notes.txt", "--force");
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));

        var forced = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "3", "--out", dir, "--quiet", "--force");
        Assert.True(forced.ExitCode == 0, forced.Err);
        Assert.False(File.Exists(Path.Combine(dir, "notes.txt")));
        Assert.True(ReadJson(Path.Combine(dir, "summary.json")).GetProperty("completed").GetBoolean());
        Assert.Equal(64, ReadJson(Path.Combine(dir, "run.json")).GetProperty("scenarioSha256").GetString()!.Length);

        // A second run into the folder of the first, without --force: refused, the first run's files are intact.
        var summary = await File.ReadAllTextAsync(Path.Combine(dir, "summary.json"));
        AssertRefused(await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "4", "--out", dir, "--quiet"), "market.csv");
        Assert.Equal(summary, await File.ReadAllTextAsync(Path.Combine(dir, "summary.json")));
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_written_exits_2_with_the_path_and_a_fix()
    {
        var file = Path.Combine(TempDirectory(), "a-file");
        await File.WriteAllTextAsync(file, "");
        AssertRefused(await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "2", "--out", file), file, "is a file");
        var below = Path.Combine(file, "run");
        AssertRefused(await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "2", "--out", below), below, "cannot write");
        AssertRefused(await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "2", "--out", "/proc/marketsim-run"),
            "/proc/marketsim-run", "cannot write");
    }

    [Fact]
    public async Task Compare_report_and_sweep_into_a_place_that_cannot_be_written_exit_2_with_the_path_and_a_fix()
    {
        var dir = TempDirectory();
        var run = Path.Combine(dir, "run");
        Assert.Equal(0, (await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "2", "--out", run, "--quiet", "--no-report")).ExitCode);
        var file = Path.Combine(dir, "file.txt");
        await File.WriteAllTextAsync(file, "");
        var below = Path.Combine(file, "sub");

        AssertRefused(await RunAsync("compare", run, "--out", below), below, "cannot write", "--out");
        AssertRefused(await RunAsync("compare", run, "--out", file), file, "cannot write", "--out");
        AssertRefused(await RunAsync("report", run, "--out", Path.Combine(below, "report.html")), below, "cannot write", "--out FILE.html");
        AssertRefused(await RunAsync("report", run, "--out", dir), dir, "is a folder", "--out FILE.html");
        AssertRefused(await RunAsync("sweep", Experiments.ExperimentFixtures.TwoVariants(ticks: 2, replications: 1), "--engine", "reference", "--out", below),
            below, "cannot write", "--out");
        Assert.Equal("", await File.ReadAllTextAsync(file));

        var compared = await RunAsync("compare", run, "--out", Path.Combine(dir, "compared"));
        Assert.True(compared.ExitCode == 0, compared.Err);
        var reported = await RunAsync("report", run);
        Assert.True(reported.ExitCode == 0, reported.Err);
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
    }

    private static async Task<string> RunWithCheckpoints(string dir, string name, string ticks = "20")
    {
        var folder = Path.Combine(dir, name);
        var run = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", ticks, "--checkpoint-every", "5", "--out", folder, "--quiet");
        Assert.True(run.ExitCode == 0, run.Err);
        return folder;
    }

    [Fact]
    public async Task A_damaged_truncated_or_foreign_checkpoint_is_refused_by_fork_with_the_file_and_what_is_wrong()
    {
        var dir = TempDirectory();
        var original = await RunWithCheckpoints(dir, "original");
        var checkpoint = Path.Combine(original, "checkpoints", "tick-000010.bin");
        var bytes = await File.ReadAllBytesAsync(checkpoint);

        // One byte of the state changed.
        var damaged = (byte[])bytes.Clone();
        damaged[^10] ^= 0x40;
        await File.WriteAllBytesAsync(checkpoint, damaged);
        AssertRefused(await RunAsync("fork", original, "--at", "10", "--engine", "reference", "--out", Path.Combine(dir, "f1")),
            checkpoint, "checksum mismatch", "--at 5, 15");
        Assert.False(Directory.Exists(Path.Combine(dir, "f1")));

        // Cut short.
        await File.WriteAllBytesAsync(checkpoint, bytes[..(bytes.Length / 2)]);
        AssertRefused(await RunAsync("fork", original, "--at", "10", "--engine", "reference", "--out", Path.Combine(dir, "f2")), checkpoint, "truncated");

        // Not a checkpoint at all.
        await File.WriteAllTextAsync(checkpoint, "hello");
        AssertRefused(await RunAsync("fork", original, "--at", "10", "--engine", "reference", "--out", Path.Combine(dir, "f3")), checkpoint, "not a MarketSim checkpoint");

        // A checkpoint of another run (another horizon, so another resolved scenario) copied into this folder.
        var other = await RunWithCheckpoints(dir, "other", ticks: "25");
        File.Copy(Path.Combine(other, "checkpoints", "tick-000010.bin"), checkpoint, overwrite: true);
        AssertRefused(await RunAsync("fork", original, "--at", "10", "--engine", "reference", "--out", Path.Combine(dir, "f4")), checkpoint, "belongs to another run");

        // The right checkpoint under another tick's name.
        File.Copy(Path.Combine(original, "checkpoints", "tick-000015.bin"), checkpoint, overwrite: true);
        AssertRefused(await RunAsync("fork", original, "--at", "10", "--engine", "reference", "--out", Path.Combine(dir, "f5")), checkpoint, "holds tick 15");

        // Restored, the fork works.
        await File.WriteAllBytesAsync(checkpoint, bytes);
        var fork = await RunAsync("fork", original, "--at", "10", "--engine", "reference", "--out", Path.Combine(dir, "f6"), "--quiet");
        Assert.True(fork.ExitCode == 0, fork.Err);
        Assert.Equal(ReadJson(Path.Combine(original, "summary.json")).GetProperty("fingerprint").GetString(),
            ReadJson(Path.Combine(dir, "f6", "summary.json")).GetProperty("fingerprint").GetString());
    }

    [Theory]
    [InlineData("../../escaped")]
    [InlineData("/tmp/escaped")]
    public async Task An_experiment_name_that_is_a_path_is_refused_at_its_position(string name)
    {
        var dir = TempDirectory();
        File.Copy(Fixture("tiny.yaml"), Path.Combine(dir, "tiny.yaml"));
        var path = Path.Combine(dir, "exp.yaml");
        await File.WriteAllTextAsync(path, $"name: {name}\nscenario: tiny.yaml\nvariants:\n  - name: base\n");
        var work = Path.Combine(dir, "work", "here");
        Directory.CreateDirectory(work);
        var previous = Environment.CurrentDirectory;
        CliResult result;
        try
        {
            Environment.CurrentDirectory = work;
            result = await RunAsync("sweep", path, "--engine", "reference");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
        AssertRefused(result, $"{path}:1:7: name: '{name}' does not match the pattern", "may not be a path");
        Assert.False(Directory.Exists(Path.Combine(dir, "escaped")));
        Assert.False(Directory.Exists(Path.Combine(work, "sweeps")));
    }

    [Fact]
    public async Task A_file_that_is_not_a_scenario_is_refused_without_quoting_its_content()
    {
        var dir = TempDirectory();
        var secret = Path.Combine(dir, "passwd");
        await File.WriteAllTextAsync(secret, "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n");
        var compose = Path.Combine(dir, "compose.yml");
        await File.WriteAllTextAsync(compose, "services:\n  db:\n    environment: [PASSWORD=hunter2]\n");
        foreach (var file in new[] { secret, compose })
        {
            // validate prints its problems on standard output.
            var validate = await RunAsync("validate", file);
            AssertRefused(validate with { Err = validate.Out }, file, "not a scenario file");
            Assert.DoesNotContain("root:x", validate.Out);
            Assert.DoesNotContain("hunter2", validate.Out);
            Assert.DoesNotContain("services", validate.Out);
        }

        var experiment = Path.Combine(dir, "exp.yaml");
        await File.WriteAllTextAsync(experiment, $"name: x\nscenario: {secret}\nvariants:\n  - name: a\n");
        var sweep = await RunAsync("sweep", experiment, "--engine", "reference");
        AssertRefused(sweep, "not a scenario file");
        Assert.DoesNotContain("root:x", sweep.Err);

        // A real scenario with a mistake still gets its positioned problem.
        var bad = Path.Combine(dir, "bad.yaml");
        await File.WriteAllTextAsync(bad, (await File.ReadAllTextAsync(Fixture("tiny.yaml"))).Replace("name:", "nmae:", StringComparison.Ordinal));
        var problem = await RunAsync("validate", bad);
        Assert.Equal(2, problem.ExitCode);
        Assert.Contains("nmae", problem.Out);
    }
}

/// <summary>Redis passwords reach Redis and nowhere else: not the silo's or the run's messages.</summary>
public sealed class SecretTests
{
    [Fact]
    public async Task A_redis_password_in_the_configuration_string_or_a_file_is_never_printed()
    {
        var redis = $"127.0.0.1:{MarketSim.Silo.EmbeddedCluster.FreePort()},password=hunter2secret";
        var silo = await RunAsync("silo", "--redis", redis, "--redis-timeout", "1",
            "--silo-port", MarketSim.Silo.EmbeddedCluster.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", MarketSim.Silo.EmbeddedCluster.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, silo.ExitCode);
        Assert.Contains("password=***", silo.Err);
        Assert.DoesNotContain("hunter2secret", silo.Err + silo.Out);

        var run = await RunAsync("run", Fixture("tiny.yaml"), "--redis", redis, "--redis-timeout", "1", "--out", Path.Combine(TempDirectory(), "r"));
        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("hunter2secret", run.Err + run.Out);

        var dir = TempDirectory();
        var missing = Path.Combine(dir, "redis.password");
        var noFile = await RunAsync("run", Fixture("tiny.yaml"), "--redis", "127.0.0.1:1", "--redis-password-file", missing, "--out", Path.Combine(dir, "r"));
        Assert.Equal(2, noFile.ExitCode);
        Assert.Contains(missing, noFile.Err);
        Assert.Contains("fix:", noFile.Err);
    }

    [Fact]
    public void The_password_comes_from_the_file_else_the_environment_and_is_redacted_in_configuration_strings()
    {
        var file = Path.Combine(TempDirectory(), "pw");
        File.WriteAllText(file, "  from-file \n");
        Assert.Equal("from-file", MarketSim.Client.RedisConnection.PasswordFrom(file));
        Assert.Equal("redis:6379,password=***,ssl=true", MarketSim.Client.RedisConnection.Redact("redis:6379,password=s3cr3t,ssl=true"));
        Assert.Equal("s3cr3t", MarketSim.Client.RedisConnection.Options("redis:6379", "s3cr3t").Password);
        Assert.Equal("abc", MarketSim.Client.RedisConnection.Options("redis:6379,password=abc").Password);
    }
}
