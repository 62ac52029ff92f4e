using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests;

public sealed class CommandTests
{
    /// <summary>The tiny fixture with lines replaced (1-based line numbers), written to a temporary broken.yaml.</summary>
    private static string FixtureWith(params (int Line, string Text)[] replacements)
    {
        var lines = File.ReadAllLines(Fixture("tiny.yaml"));
        foreach (var (line, text) in replacements) lines[line - 1] = text;
        var path = Path.Combine(TempDirectory(), "broken.yaml");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static int LineOf(string prefix) =>
        Array.FindIndex(File.ReadAllLines(Fixture("tiny.yaml")), l => l.StartsWith(prefix, StringComparison.Ordinal)) + 1;

    [Fact]
    public async Task Run_of_a_malformed_scenario_exits_2_naming_file_and_line_of_every_problem()
    {
        var ticksLine = LineOf("ticks:");
        var seedLine = LineOf("seed:");
        var path = FixtureWith((ticksLine, "ticks: -5"), (seedLine, "sede: 7"));
        var output = Path.Combine(TempDirectory(), "never");

        var result = await RunAsync("run", path, "--engine", "reference", "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"broken.yaml:{ticksLine}:", result.Err);
        Assert.Contains($"broken.yaml:{seedLine}:", result.Err);
        Assert.Contains("ticks", result.Err);
        Assert.Contains("sede", result.Err);
        Assert.Contains("2 problems; nothing was run", result.Err);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Unknown_option_exits_2_naming_the_option_and_the_help()
    {
        var result = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--bogus");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'--bogus'", result.Err);
        Assert.Contains("marketsim run --help", result.Err);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Unknown_command_exits_2_naming_it()
    {
        var result = await RunAsync("frob");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'frob'", result.Err);
        Assert.Contains("marketsim --help", result.Err);
    }

    [Theory]
    [InlineData("--engine", "quantum", "--engine must be orleans or reference, not 'quantum'")]
    [InlineData("--pace", "0", "--pace must be a positive number of ticks per second, not 0")]
    [InlineData("--pace", "fast", "--pace must be a number, not 'fast'")]
    [InlineData("--gateway", "nohost", "--gateway must be HOST:PORT, e.g. localhost:30000, not 'nohost'")]
    [InlineData("--gateway", "h:70000", "--gateway must be HOST:PORT, e.g. localhost:30000, not 'h:70000' (the port must be a TCP port between 1 and 65535, not 70000)")]
    [InlineData("--metrics-port", "70000", "--metrics-port must be a TCP port between 1 and 65535, not 70000")]
    [InlineData("--seed", "-1", "--seed must be a whole number from 0 up, not '-1'")]
    [InlineData("--ticks", "0", "--ticks must be at least 1, not 0")]
    public async Task Bad_option_values_exit_2_naming_option_and_value(string option, string value, string message)
    {
        var result = await RunAsync("run", Fixture("tiny.yaml"), option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"marketsim run: {message}\nrun 'marketsim run --help' for usage\n", result.Err.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Missing_scenario_file_exits_2_naming_the_path()
    {
        var path = Path.Combine(TempDirectory(), "no-such-scenario.yaml");
        var result = await RunAsync("run", path, "--engine", "reference");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(path, result.Err);
        Assert.Contains("not found", result.Err);
    }

    [Fact]
    public async Task Bad_override_exits_2_naming_the_override()
    {
        var result = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--set", "providers.lab-z.cash=1", "--ticks", "abc");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'abc'", result.Err);

        result = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--set", "providers.lab-z.cash=1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--set:1:", result.Err);
        Assert.Contains("lab-z", result.Err);
    }

    [Fact]
    public async Task Seed_and_ticks_override_the_scenario()
    {
        var dir = Path.Combine(TempDirectory(), "short");
        var result = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--seed", "8", "--ticks", "10",
            "--set", "providers.lab-a.cash=60000000", "--out", dir, "--quiet");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal($"wrote {dir}\n", result.Out.ReplaceLineEndings("\n"));
        var summary = ReadJson(Path.Combine(dir, "summary.json"));
        Assert.Equal(8UL, summary.GetProperty("seed").GetUInt64());
        Assert.Equal(10, summary.GetProperty("ticks").GetInt32());
        Assert.Equal(10, ReadCsv(Path.Combine(dir, "market.csv")).Count);
        var resolved = File.ReadAllLines(Path.Combine(dir, "scenario.resolved.yaml"));
        Assert.Contains("seed: 8", resolved);
        Assert.Contains("ticks: 10", resolved);
        Assert.Contains("  cash: 60000000", resolved);
    }

    [Fact]
    public async Task Interrupted_run_keeps_its_rows_and_writes_an_incomplete_summary()
    {
        var dir = Path.Combine(TempDirectory(), "interrupted");
        using var interrupt = new CancellationTokenSource();
        // At 50 ticks per second the 60 ticks take 1.2 s; Ctrl-C comes once five ticks are on disk.
        var run = RunAsync(["run", Fixture("tiny.yaml"), "--engine", "reference", "--pace", "50", "--out", dir], interrupt.Token);
        var market = Path.Combine(dir, "market.csv");
        while (!run.IsCompleted && !(File.Exists(market) && CountLines(market) > 5)) await Task.Delay(10);
        await interrupt.CancelAsync();
        var result = await run;

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("interrupted", result.Err);
        var summary = ReadJson(Path.Combine(dir, "summary.json"));
        Assert.False(summary.GetProperty("completed").GetBoolean());
        var done = summary.GetProperty("ticksDone").GetInt32();
        Assert.InRange(done, 5, 59);
        Assert.Equal(done, ReadCsv(Path.Combine(dir, "market.csv")).Count);
        Assert.Equal(done * 4, ReadCsv(Path.Combine(dir, "segments.csv")).Count);
        Assert.Equal(done * TinyRun.OfferedTiers, ReadCsv(Path.Combine(dir, "providers.csv")).Count);
        var rows = ReadCsv(market);
        Assert.Equal(rows.Sum(r => Dec(r["revenue_usd"])), summary.GetProperty("totals").GetProperty("revenueUsd").GetDecimal());
        Assert.Equal(rows[^1]["date"], summary.GetProperty("endDate").GetString());
    }

    private static int CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var n = 0;
        while (reader.ReadLine() is not null) n++;
        return n;
    }

    [Fact]
    public async Task Validate_prints_ok_for_a_good_scenario()
    {
        var result = await RunAsync("validate", Fixture("tiny.yaml"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("ok\n", result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Validate_prints_every_problem_one_per_line_and_exits_2()
    {
        var tierLine = LineOf("        tier: frontier");
        var path = FixtureWith((tierLine, "        tier: gigantic"));

        var result = await RunAsync("validate", path, "--set", "customers.count=0");

        Assert.Equal(2, result.ExitCode);
        var lines = result.Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{path}:{tierLine}:", lines[0]);
        Assert.Contains("gigantic", lines[0]);
        Assert.StartsWith("--set:1:", lines[1]);
        Assert.Contains("customers.count", lines[1]);
    }

    [Fact]
    public async Task Validate_of_a_missing_file_exits_2_naming_the_path()
    {
        var result = await RunAsync("validate", "does/not/exist.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does/not/exist.yaml", result.Out);
    }

    [Fact]
    public async Task A_standalone_silo_runs_a_scenario_for_a_gateway_client_with_the_reference_fingerprint_and_stops_on_cancel()
    {
        var siloPort = MarketSim.Silo.EmbeddedCluster.FreePort();
        var gatewayPort = MarketSim.Silo.EmbeddedCluster.FreePort();
        using var stop = new CancellationTokenSource();
        var silo = RunAsync(["silo", "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}"], stop.Token);

        var expected = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--out", TempDirectory(), "--quiet");
        Assert.Equal(0, expected.ExitCode);
        var outDir = TempDirectory();
        CliResult run = default!;
        // The silo takes a moment to open its gateway; the client retries for a bounded time itself.
        run = await RunAsync("run", Fixture("tiny.yaml"), "--gateway", $"127.0.0.1:{gatewayPort}", "--out", outDir, "--quiet");
        Assert.True(run.ExitCode == 0, run.Err);
        var fingerprint = ReadJson(Path.Combine(outDir, "summary.json")).GetProperty("fingerprint").GetString();
        Assert.Equal(Fingerprint(expected), fingerprint);

        stop.Cancel();
        var stopped = await silo.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, stopped.ExitCode);
        Assert.Contains($"silo ready: gateway 127.0.0.1:{gatewayPort}", stopped.Out);
    }

    private static string? Fingerprint(CliResult quietRun)
    {
        var dir = quietRun.Out.Trim().Split(' ', 2)[1];
        return ReadJson(Path.Combine(dir, "summary.json")).GetProperty("fingerprint").GetString();
    }

    [Fact]
    public async Task A_silo_whose_ports_are_taken_exits_1_saying_how_to_fix_it()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var result = await RunAsync("silo", "--silo-port", $"{port}", "--gateway-port", $"{MarketSim.Silo.EmbeddedCluster.FreePort()}")
            .WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot start the silo", result.Err);
        Assert.Contains("fix:", result.Err);
    }

    [Fact]
    public async Task Help_exits_0_and_lists_the_commands()
    {
        var result = await RunAsync("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "run", "validate", "silo" }) Assert.Contains(command, result.Out);
        result = await RunAsync("run", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--engine <orleans|reference>", result.Out);
    }
}
