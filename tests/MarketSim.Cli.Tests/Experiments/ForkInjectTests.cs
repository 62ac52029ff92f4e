using MarketSim.Client;
using MarketSim.Model.Engine;
using MarketSim.Model.Scenarios;
using MarketSim.Silo;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests.Experiments;

public sealed class ForkInjectTests
{
    [Theory]
    [InlineData("reference")]
    [InlineData("orleans")]
    public async Task A_fork_without_overrides_ends_with_the_fingerprint_of_the_original_run(string engine)
    {
        var dir = TempDirectory();
        var original = Path.Combine(dir, "original");
        var run = await RunAsync("run", Fixture("tiny.yaml"), "--engine", engine, "--ticks", "30", "--checkpoint-every", "10", "--out", original, "--quiet");
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.True(File.Exists(Path.Combine(original, "checkpoints", "tick-000010.bin")));
        Assert.True(File.Exists(Path.Combine(original, "checkpoints", "tick-000020.bin")));
        if (engine == "orleans") Assert.Contains("run id: run-", run.Err);

        var forked = Path.Combine(dir, "fork");
        var fork = await RunAsync("fork", original, "--at", "20", "--engine", engine, "--out", forked, "--quiet", "--sample-every", "4");

        Assert.True(fork.ExitCode == 0, fork.Err);
        var a = ReadJson(Path.Combine(original, "summary.json"));
        var b = ReadJson(Path.Combine(forked, "summary.json"));
        Assert.Equal(a.GetProperty("fingerprint").GetString(), b.GetProperty("fingerprint").GetString());
        Assert.Equal(20, b.GetProperty("at").GetInt32());
        Assert.Equal(Path.GetFullPath(original), b.GetProperty("forkedFrom").GetString());
        Assert.True(b.GetProperty("completed").GetBoolean());
        // The fork's files hold the ticks divisible by 4 and the last; its summary covers all 10 of its ticks.
        Assert.Equal(["20", "24", "28", "29"], ReadCsv(Path.Combine(forked, "market.csv")).Select(r => r["tick"]));
        Assert.Equal((4, 10), (b.GetProperty("sampleEvery").GetInt32(), b.GetProperty("ticksDone").GetInt32()));
    }

    [Fact]
    public async Task A_fork_with_a_strategy_override_differs_and_a_fork_at_a_missing_tick_lists_the_available_ones()
    {
        var dir = TempDirectory();
        var original = Path.Combine(dir, "original");
        Assert.Equal(0, (await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "20", "--checkpoint-every", "5", "--out", original, "--quiet")).ExitCode);

        var missing = await RunAsync("fork", original, "--at", "7", "--engine", "reference", "--out", Path.Combine(dir, "never"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no checkpoint at tick 7", missing.Err);
        Assert.Contains("5, 10, 15", missing.Err);

        var changed = Path.Combine(dir, "changed");
        var fork = await RunAsync("fork", original, "--at", "10", "--set", "providers.lab-b.strategy=cost-plus", "--engine", "reference", "--out", changed, "--quiet");
        Assert.True(fork.ExitCode == 0, fork.Err);
        Assert.Contains("strategy-change", await File.ReadAllTextAsync(Path.Combine(changed, "scenario.resolved.yaml")));
        Assert.NotEqual(ReadJson(Path.Combine(original, "summary.json")).GetProperty("fingerprint").GetString(),
            ReadJson(Path.Combine(changed, "summary.json")).GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task Inject_into_a_live_run_gives_the_fingerprint_of_the_same_event_in_the_scenario()
    {
        var options = new SiloOptions { SiloPort = EmbeddedCluster.FreePort(), GatewayPort = EmbeddedCluster.FreePort() };
        using var host = SiloHost.Build(options);
        await host.StartAsync();
        try
        {
            await using var client = await MarketSimClient.ConnectAsync($"localhost:{options.GatewayPort}");
            var scenario = ScenarioInput.Load(Fixture("tiny.yaml"), ["ticks=25"]);
            var run = await SimulationRun.StartAsync(client.Cluster, scenario);
            await run.AdvanceAsync(8);

            var result = await RunAsync("inject", "--gateway", $"localhost:{options.GatewayPort}", run.RunId, "price-cut",
                "--provider", "lab-a", "--fraction", "0.3", "--days", "5");

            Assert.True(result.ExitCode == 0, result.Err);
            Assert.Contains("applies at tick 8", result.Out);
            await run.RunAsync();
            var withEvent = ScenarioInput.Load(Fixture("tiny.yaml"), ["ticks=25"]);
            withEvent.Events.Add(new EventSpec { Kind = "price-cut", Tick = 8, Provider = "lab-a", Fraction = 0.3, Days = 5 });
            var reference = new ReferenceEngine(new MarketSetup(withEvent));
            while (!reference.Finished) reference.Step();
            Assert.Equal(reference.Fingerprint(), await run.FingerprintAsync());

            var bad = await RunAsync("inject", "--gateway", $"localhost:{options.GatewayPort}", run.RunId, "price-cut", "--provider", "lab-z", "--fraction", "0.3");
            Assert.Equal(2, bad.ExitCode);
            var unknownRun = await RunAsync("inject", "--gateway", $"localhost:{options.GatewayPort}", "run-nope", "provider-exit", "--provider", "lab-a");
            Assert.Equal(2, unknownRun.ExitCode);
            Assert.Contains("no such run", unknownRun.Err);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Inject_rejects_an_unknown_kind_and_an_unreachable_gateway_with_exit_2()
    {
        var kind = await RunAsync("inject", "--gateway", "localhost:1", "run-x", "price-hike", "--provider", "lab-a");
        Assert.Equal(2, kind.ExitCode);
        Assert.Contains("unknown event kind 'price-hike'", kind.Err);

        var unreachable = await RunAsync("inject", "--gateway", $"localhost:{EmbeddedCluster.FreePort()}", "run-x", "provider-exit", "--provider", "lab-a");
        Assert.Equal(2, unreachable.ExitCode);
        Assert.DoesNotContain("   at ", unreachable.Err);
    }
}
