using MarketSim.Client;

namespace MarketSim.Grains.Tests;

/// <summary>The client's scripting surface on a real (test) cluster: injected events, checkpoints and forks give
/// exactly the results of the equivalent uninterrupted runs.</summary>
public sealed class ClientScriptingTests(OneSiloCluster cluster) : IClassFixture<OneSiloCluster>
{
    [Fact]
    public async Task An_event_injected_at_tick_t_gives_the_fingerprint_of_the_same_event_in_the_scenario()
    {
        const int t = 20;
        var cut = new EventSpec { Kind = "price-cut", Provider = ShippedScenarios.Load("small").Providers[0].Id, Fraction = 0.5 };

        var written = ShippedScenarios.Load("small");
        written.Events.Add(new EventSpec { Kind = cut.Kind, Provider = cut.Provider, Fraction = cut.Fraction, Tick = t });
        var expected = await Runs.ReferenceAsync(written);

        var run = await SimulationRun.StartAsync(cluster.Cluster.Client, ShippedScenarios.Load("small"));
        await run.AdvanceAsync(t);
        Assert.Equal(t, await run.InjectAsync(cut));
        await run.RunAsync();
        Assert.True(run.Finished);
        Assert.Equal(expected.Outcome.Fingerprint, await run.FingerprintAsync());
        Assert.Equal(expected.Ticks.Select(o => o.CustomersPaidMicros), run.Observations.Select(o => o.CustomersPaidMicros));
    }

    [Fact]
    public async Task An_entrant_injected_at_tick_t_gives_the_fingerprint_of_the_same_entry_in_the_scenario()
    {
        const int t = 15;
        EventSpec Entry(int? tick) => new()
        {
            Kind = "provider-entry",
            Tick = tick,
            Entrant = new ProviderSpec
            {
                Id = "entrant", Strategy = "penetration", Cash = 5e8,
                Fleet = [new FleetEntry { Gpu = "H100", Count = 60 }],
                Models = [new ModelSpec { Id = "entrant-70b", Tier = "mid", ParametersB = 70, Quality = 0.8 }],
            },
        };
        var written = ShippedScenarios.Load("small");
        written.Events.Add(Entry(t));
        var expected = await Runs.ReferenceAsync(written);
        Assert.Contains(expected.Ticks, o => o.Entries == 1);

        var run = await SimulationRun.StartAsync(cluster.Cluster.Client, ShippedScenarios.Load("small"));
        await run.AdvanceAsync(t);
        await run.InjectAsync(Entry(null));
        await run.RunAsync();
        Assert.Equal(expected.Outcome.Fingerprint, await run.FingerprintAsync());
    }

    [Fact]
    public async Task A_fork_at_a_checkpoint_without_overrides_ends_with_the_original_fingerprint()
    {
        var original = await SimulationRun.StartAsync(cluster.Cluster.Client, ShippedScenarios.Load("small"));
        await original.AdvanceAsync(30);
        var checkpoint = await original.CheckpointAsync();
        Assert.Equal(30, checkpoint.NextTick);
        await original.RunAsync();

        var fork = await SimulationRun.ForkAsync(cluster.Cluster.Client, checkpoint);
        Assert.Equal(30, fork.NextTick);
        await fork.RunAsync();
        Assert.Equal(await original.FingerprintAsync(), await fork.FingerprintAsync());
        Assert.Equal(original.Observations.Skip(30).Select(o => o.CustomersPaidMicros), fork.Observations.Select(o => o.CustomersPaidMicros));
    }

    [Fact]
    public async Task A_fork_with_an_override_diverges_from_the_original()
    {
        var original = await SimulationRun.StartAsync(cluster.Cluster.Client, ShippedScenarios.Load("small"));
        await original.AdvanceAsync(30);
        var checkpoint = await original.CheckpointAsync();
        await original.RunAsync();
        var provider = ShippedScenarios.Load("small").Providers[0].Id;
        var fork = await SimulationRun.ForkAsync(cluster.Cluster.Client, checkpoint, [$"providers.{provider}.strategy=undercut"]);
        await fork.RunAsync();
        Assert.NotEqual(await original.FingerprintAsync(), await fork.FingerprintAsync());
    }

    [Fact]
    public async Task A_fork_whose_overrides_do_not_validate_is_refused_with_the_problem()
    {
        var run = await SimulationRun.StartAsync(cluster.Cluster.Client, ShippedScenarios.Load("small"));
        await run.AdvanceAsync(5);
        var checkpoint = await run.CheckpointAsync();
        var e = await Assert.ThrowsAsync<ScenarioException>(() => SimulationRun.ForkAsync(cluster.Cluster.Client, checkpoint, ["providers.nobody.strategy=undercut"]));
        Assert.Contains("nobody", e.Message);
    }

    [Fact]
    public async Task A_lost_agent_is_recovered_from_the_last_checkpoint_and_the_run_ends_as_if_undisturbed()
    {
        var expected = await Runs.ReferenceAsync(ShippedScenarios.Load("small"));
        var runId = OrleansSimulation.NewRunId();
        var run = await SimulationRun.StartAsync(cluster.Cluster.Client, ShippedScenarios.Load("small"), runId, checkpointEvery: 10);
        await run.AdvanceAsync(25);
        // Lose every agent's in-memory state, as when silos die: all activations are collected and come back
        // with only what was persisted at the last checkpoint (tick 20).
        await cluster.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await run.RunAsync();
        Assert.Equal(expected.Outcome.Fingerprint, await run.FingerprintAsync());
    }
}
