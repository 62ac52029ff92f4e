using System.Collections.Concurrent;
using System.Diagnostics;
using MarketSim.Client;
using MarketSim.Contracts;
using MarketSim.Silo;
using Orleans.TestingHost;

namespace MarketSim.Grains.Tests;

/// <summary>Throws inside an agent group's phase call on a chosen tick as the group does when one of its agents throws
/// (<see cref="AgentFailedException"/> naming the agent, as AgentGroupTests checks the model does).</summary>
public sealed class ModelFaultFilter : IIncomingGrainCallFilter
{
    /// <summary>Agent group key ("runId/group/g") and phase → the tick to fail on and the agent that fails.</summary>
    public static readonly ConcurrentDictionary<(string Key, string Phase), (int Tick, string Agent)> Faults = new();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var key = context.TargetContext.GrainId.Key.ToString() ?? "";
        if (context.InterfaceMethod?.Name is { } phase && Faults.TryGetValue((key, phase), out var fault)
            && context.Request.GetArgumentCount() > 0 && context.Request.GetArgument(0) is int t && t == fault.Tick)
            throw new AgentFailedException(fault.Agent, new InvalidOperationException("cash went through the floor"));
        return context.Invoke();
    }
}

public sealed class FaultySiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) =>
        siloBuilder.ConfigureMarketSim().AddInMemoryCheckpoints().AddIncomingGrainCallFilter<ModelFaultFilter>();
}

public sealed class FaultyCluster : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<FaultySiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Failures that must never hang or lie: a fault of the model fails the run at once, naming the tick and the
/// agent; a second client of a run is refused; a resume with another scenario is refused; a lost answer is asked for
/// again and the same ticks come back.</summary>
public sealed class RunFailureTests(FaultyCluster fixture) : IClassFixture<FaultyCluster>
{
    private IClusterClient Client => fixture.Cluster.Client;

    /// <summary>small.yaml's 300 customers are one block; in two groups group 0 holds providers lab and cloud, group 1
    /// provider host and the block. In one group the whole tick is one call (RunTick).</summary>
    [Theory]
    [InlineData("Settle", 7, 2, 0, "provider lab (0)")]
    [InlineData("Negotiate", 3, 2, 1, "customer block 0")]
    [InlineData("Plan", 11, 2, 1, "provider host (1)")]
    [InlineData("RunTick", 9, 1, 0, "customer block 0")]
    public async Task A_model_that_throws_fails_the_run_at_once_naming_the_tick_and_the_agent(string phase, int tick, int groups, int group, string agent)
    {
        var runId = $"fault-{phase}-{Guid.NewGuid():N}";
        ModelFaultFilter.Faults[($"{runId}/group/{group}", phase)] = (tick, agent);
        var engine = new OrleansSimulation(Client, runId);
        var seen = new List<int>();
        var clock = Stopwatch.StartNew();
        var scenario = ShippedScenarios.Load("small", 30);
        scenario.Engine.Groups = groups;
        var e = await Assert.ThrowsAsync<RunFailedException>(() => engine.RunAsync(new MarketSetup(scenario),
            o => { seen.Add(o.Tick); return ValueTask.CompletedTask; }, CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(tick, e.Tick);
        Assert.Equal(agent, e.Agent);
        Assert.Contains($"{agent} failed in {phase} on tick {tick}", e.Message);
        Assert.Contains("InvalidOperationException: cash went through the floor", e.Message);
        Assert.Equal(Enumerable.Range(0, tick), seen);   // every tick before the fault, once, and nothing after
    }

    [Fact]
    public async Task A_fault_with_checkpoints_fails_too_instead_of_replaying_forever()
    {
        var runId = $"fault-cp-{Guid.NewGuid():N}";
        ModelFaultFilter.Faults[($"{runId}/group/1", "Consume")] = (12, "customer block 0");
        var engine = new OrleansSimulation(Client, runId) { CheckpointEvery = 5 };
        var clock = Stopwatch.StartNew();
        var scenario = ShippedScenarios.Load("small", 30);
        scenario.Engine.Groups = 2;
        var e = await Assert.ThrowsAsync<RunFailedException>(() => engine.RunAsync(new MarketSetup(scenario),
            _ => ValueTask.CompletedTask, CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(12, e.Tick);
        Assert.Equal("customer block 0", e.Agent);
    }

    [Fact]
    public async Task A_second_client_of_a_running_run_is_refused_and_the_first_goes_on()
    {
        var runId = $"busy-{Guid.NewGuid():N}";
        var scenario = ShippedScenarios.Load("small", 30);
        var first = await SimulationRun.StartAsync(Client, scenario, runId);
        await first.AdvanceAsync(5);
        var impatient = new RunCalls(Client) { BusyWait = TimeSpan.FromSeconds(1) };
        var e = await Assert.ThrowsAsync<RunBusyException>(() => SimulationRun.StartAsync(Client, ShippedScenarios.Load("small", 30), runId, calls: impatient));
        Assert.Contains($"run '{runId}' is driven by another client", e.Message);
        Assert.Contains("--run-id", e.Message);
        while (!first.Finished) await first.AdvanceAsync(10);
        var reference = await Runs.ReferenceAsync(ShippedScenarios.Load("small", 30));
        Assert.Equal(reference.Outcome.Fingerprint, await first.FingerprintAsync());
        Assert.Equal(reference.Ticks.Select(t => t.CustomersPaidMicros), first.Observations.Select(t => t.CustomersPaidMicros));
    }

    [Fact]
    public async Task Resuming_a_run_id_with_another_scenario_is_refused()
    {
        var runId = $"mismatch-{Guid.NewGuid():N}";
        var run = await SimulationRun.StartAsync(Client, ShippedScenarios.Load("small", 30), runId);
        await run.AdvanceAsync(12);
        var other = ShippedScenarios.Load("small", 30);
        other.Seed += 1;
        var e = await Assert.ThrowsAsync<RunMismatchException>(() => SimulationRun.StartAsync(Client, other, runId));
        Assert.Contains("exists with another scenario", e.Message);
        Assert.Equal(12, (await Client.GetGrain<IRunCoordinatorGrain>(runId).Status()).NextTick);
    }

    [Fact]
    public async Task An_answer_asked_for_again_brings_the_same_ticks_and_the_fingerprint_is_of_the_callers_tick()
    {
        var runId = $"again-{Guid.NewGuid():N}";
        var coordinator = Client.GetGrain<IRunCoordinatorGrain>(runId);
        await coordinator.Start(new StartRun(ScenarioJson.Serialize(ShippedScenarios.Load("small", 30)), 0, "me"));
        var first = await coordinator.Advance(new AdvanceRequest("me", 0, 10, 60_000));
        Assert.Equal((0, 10), (first.FirstTick, first.NextTick));
        // The answer was lost: the caller asks again from where it stands and gets the very same ticks.
        var again = await coordinator.Advance(new AdvanceRequest("me", 4, 3, 60_000));
        Assert.Equal((4, 7), (again.FirstTick, again.NextTick));
        Assert.Equal(first.Observations[4..7].Select(o => MarketSim.Model.Codec.ToBytes(o.Write)), again.Observations.Select(o => MarketSim.Model.Codec.ToBytes(o.Write)));
        // The fingerprint is of the state at a boundary the caller stands at, or later when the run has moved on.
        var fingerprint = await coordinator.Fingerprint(7);
        Assert.Equal(10, fingerprint.Tick);
        var reference = new ReferenceEngine(new MarketSetup(ShippedScenarios.Load("small", 30)));
        while (reference.NextTick < 10) reference.Step();
        Assert.Equal(reference.Fingerprint(), fingerprint.Hash);
        await Assert.ThrowsAsync<ArgumentException>(() => coordinator.Advance(new AdvanceRequest("me", 31, 1, 1000)));
    }
}
