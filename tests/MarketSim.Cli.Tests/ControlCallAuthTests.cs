using MarketSim.Client;
using MarketSim.Contracts;
using MarketSim.Silo;
using static MarketSim.Cli.Tests.CliHarness;

namespace MarketSim.Cli.Tests;

/// <summary>A silo started with an API key refuses calls from clients that do not carry it; the command line sends
/// it with --api-key-file, reaches a cluster with its --cluster-id, and a refused key is bad input (exit 2).</summary>
public sealed class ControlCallAuthTests
{
    private const string Key = "0123456789abcdef-test-key";

    [Fact]
    public async Task Calls_without_the_api_key_are_refused_and_with_it_the_run_and_inject_work()
    {
        var options = new SiloOptions
        {
            SiloPort = EmbeddedCluster.FreePort(), GatewayPort = EmbeddedCluster.FreePort(), ClusterId = "keyed", ApiKey = Key,
        };
        var gateway = $"127.0.0.1:{options.GatewayPort}";
        var dir = TempDirectory();
        var keyFile = Path.Combine(dir, "api.key");
        await File.WriteAllTextAsync(keyFile, Key + "\n");
        var wrongFile = Path.Combine(dir, "wrong.key");
        await File.WriteAllTextAsync(wrongFile, "fedcba9876543210-wrong");
        using var host = SiloHost.Build(options);
        await host.StartAsync();
        try
        {
            // A plain client without the key, and one with another key: refused before the grain runs.
            await using (var anonymous = await MarketSimClient.ConnectAsync(gateway, clusterId: "keyed"))
            {
                var e = await Assert.ThrowsAsync<ApiKeyRefusedException>(() => anonymous.Cluster.GetGrain<IRunCoordinatorGrain>("r").Status());
                Assert.Contains("requires an API key", e.Message);
                Assert.Contains("--api-key-file", e.Message);
            }
            await using (var wrong = await MarketSimClient.ConnectAsync(gateway, clusterId: "keyed", apiKey: "fedcba9876543210-wrong"))
                await Assert.ThrowsAsync<ApiKeyRefusedException>(() => wrong.Cluster.GetGrain<IRunCoordinatorGrain>("r").Start(new StartRun("{}")));

            await using var client = await MarketSimClient.ConnectAsync(gateway, clusterId: "keyed", apiKey: Key);
            var scenario = ScenarioInput.Load(Fixture("tiny.yaml"), ["ticks=20"]);
            var run = await SimulationRun.StartAsync(client.Cluster, scenario);
            await run.AdvanceAsync(6);
            var fingerprint = await run.FingerprintAsync();

            string[] inject = ["inject", "--gateway", gateway, "--cluster-id", "keyed", run.RunId, "price-cut", "--provider", "lab-a", "--fraction", "0.3"];
            var refused = await RunAsync(inject);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("requires an API key", refused.Err);
            Assert.Equal(2, (await RunAsync([.. inject, "--api-key-file", wrongFile])).ExitCode);
            Assert.Equal(fingerprint, await run.FingerprintAsync());

            var outOfRange = await RunAsync(["inject", "--gateway", gateway, "--cluster-id", "keyed", "--api-key-file", keyFile, run.RunId,
                "price-cut", "--provider", "lab-a", "--fraction", "5"]);
            Assert.Equal(2, outOfRange.ExitCode);
            Assert.Contains("the event was refused; the run is unchanged", outOfRange.Err);
            Assert.Contains("fraction", outOfRange.Err);
            Assert.Equal(fingerprint, await run.FingerprintAsync());

            var accepted = await RunAsync([.. inject, "--api-key-file", keyFile]);
            Assert.True(accepted.ExitCode == 0, accepted.Err);
            Assert.Contains("applies at tick 6", accepted.Out);

            var badKeyFile = await RunAsync([.. inject, "--api-key-file", Path.Combine(dir, "missing.key")]);
            Assert.Equal(2, badKeyFile.ExitCode);
            Assert.Contains("missing.key", badKeyFile.Err);

            // run, fork and sweep on the cluster: no key or another one is exit 2 naming the fix; the key works.
            var outDir = Path.Combine(dir, "runs");
            string[] onCluster = ["--gateway", gateway, "--cluster-id", "keyed"];
            foreach (var (what, args) in new (string, string[])[]
            {
                ("run", ["run", Fixture("tiny.yaml"), "--ticks", "4", "--quiet", "--no-report", .. onCluster]),
                ("fork", ["fork", await RunWithCheckpoints(dir), "--at", "5", "--quiet", "--no-report", .. onCluster]),
                ("sweep", ["sweep", Experiments.ExperimentFixtures.TwoVariants(ticks: 4, replications: 1), "--parallel", "1", .. onCluster]),
            })
            {
                foreach (var keyArgs in new[] { Array.Empty<string>(), ["--api-key-file", wrongFile] })
                {
                    var result = await RunAsync([.. args, .. keyArgs, "--out", Path.Combine(outDir, $"{what}-refused-{keyArgs.Length}")]);
                    Assert.True(result.ExitCode == 2, $"{what} {string.Join(' ', keyArgs)}: exit {result.ExitCode}: {result.Err}");
                    Assert.Contains($"marketsim {what}: ", result.Err);
                    Assert.Contains("requires an API key", result.Err);
                    Assert.Contains("fix: give the client the cluster's key with --api-key-file F", result.Err);
                    Assert.DoesNotContain("Exception", result.Err);
                }
                var keyed = await RunAsync([.. args, "--api-key-file", keyFile, "--out", Path.Combine(outDir, $"{what}-keyed")]);
                Assert.True(keyed.ExitCode == 0, $"{what} with the key: exit {keyed.ExitCode}: {keyed.Err}");
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<string> RunWithCheckpoints(string dir)
    {
        var folder = Path.Combine(dir, "checkpointed");
        var run = await RunAsync("run", Fixture("tiny.yaml"), "--engine", "reference", "--ticks", "10", "--checkpoint-every", "5", "--out", folder, "--quiet", "--no-report");
        Assert.True(run.ExitCode == 0, run.Err);
        return folder;
    }
}
