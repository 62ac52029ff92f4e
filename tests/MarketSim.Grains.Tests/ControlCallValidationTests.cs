using System.Text.Json;
using MarketSim.Contracts;
using MarketSim.Model;

namespace MarketSim.Grains.Tests;

/// <summary>The coordinator checks what a plain Orleans client sends it, with the scenario loader's validation, and
/// refuses bad input with the problems without changing the run.</summary>
public sealed class ControlCallValidationTests(OneSiloCluster cluster) : IClassFixture<OneSiloCluster>
{
    private IRunCoordinatorGrain Coordinator(string runId) => cluster.Cluster.Client.GetGrain<IRunCoordinatorGrain>(runId);

    [Fact]
    public async Task A_start_with_zero_day_ticks_and_minus_five_customers_is_refused_and_nothing_starts()
    {
        var scenario = ShippedScenarios.Load("small", ticks: 10);
        scenario.TickDays = 0;
        scenario.Customers.Count = -5;
        var coordinator = Coordinator("bad-start");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => coordinator.Start(new StartRun(ScenarioJson.Serialize(scenario))));
        Assert.StartsWith("the scenario was refused; nothing was started", e.Message);
        Assert.Contains("tickDays: ", e.Message);
        Assert.Contains("customers.count: ", e.Message);
        Assert.Contains("(fix: ", e.Message);
        Assert.False((await coordinator.Status()).Started);

        var garbage = await Assert.ThrowsAsync<ArgumentException>(() => coordinator.Start(new StartRun("{\"ticks\": \"many\"")));
        Assert.Contains("not a scenario document", garbage.Message);
        var negative = await Assert.ThrowsAsync<ArgumentException>(() =>
            coordinator.Start(new StartRun(ScenarioJson.Serialize(ShippedScenarios.Load("small", ticks: 10)), CheckpointEvery: -1)));
        Assert.Contains("checkpointEvery", negative.Message);
        Assert.False((await coordinator.Status()).Started);

        // The same id then starts a valid run.
        Assert.True((await coordinator.Start(new StartRun(ScenarioJson.Serialize(ShippedScenarios.Load("small", ticks: 10))))).Started);
    }

    public static TheoryData<string, string> BadEvents => new()
    {
        { """{"kind": "demand-shock", "factor": 1e300}""", "factor: " },
        { """{"kind": "price-cut", "provider": "lab", "fraction": 5}""", "fraction: " },
        { """{"kind": "gpu-price-shock", "gpu": "H100", "factor": "NaN"}""", "factor is not a finite number" },
        { """{"kind": "price-cut", "provider": "nobody", "fraction": 0.2}""", "nobody" },
        { """{"kind": "gpu-price-shock", "gpu": "Z9000", "factor": 0.5}""", "Z9000" },
        { """{"kind": "demand-shock", "segment": "robots", "factor": 2}""", "robots" },
        { """{"kind": "meteor", "factor": 2}""", "meteor" },
        { """{"kind": "price-cut", "provider": """, "not an event document" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task An_out_of_range_or_unknown_injected_event_is_refused_and_the_run_is_unchanged(string eventJson, string expected)
    {
        var runId = $"bad-event-{Guid.NewGuid():N}";
        var coordinator = Coordinator(runId);
        await coordinator.Start(new StartRun(ScenarioJson.Serialize(ShippedScenarios.Load("small", ticks: 30))));
        await coordinator.Advance(new AdvanceRequest("test", 0, 5, 60_000));
        var fingerprint = await coordinator.Fingerprint(5);
        var events = (await coordinator.ExportCheckpoint(5)).ScenarioJson;

        var e = await Assert.ThrowsAsync<ArgumentException>(() => coordinator.Inject(eventJson));
        Assert.StartsWith("the event was refused; the run is unchanged", e.Message);
        Assert.Contains(expected, e.Message);

        Assert.Equal(fingerprint, await coordinator.Fingerprint(5));
        Assert.Equal(5, (await coordinator.Status()).NextTick);
        Assert.Equal(events, (await coordinator.ExportCheckpoint(5)).ScenarioJson);

        // The run goes on to the fingerprint of a run that never received the event.
        await coordinator.Advance(new AdvanceRequest("test", 5, 100, 60_000));
        var undisturbed = await Runs.ReferenceAsync(ShippedScenarios.Load("small", ticks: 30));
        Assert.Equal(undisturbed.Outcome.Fingerprint, (await coordinator.Fingerprint(30)).Hash);
    }

    [Fact]
    public async Task A_valid_injected_event_is_accepted_at_the_next_tick()
    {
        var coordinator = Coordinator($"good-event-{Guid.NewGuid():N}");
        await coordinator.Start(new StartRun(ScenarioJson.Serialize(ShippedScenarios.Load("small", ticks: 30))));
        await coordinator.Advance(new AdvanceRequest("test", 0, 5, 60_000));
        var json = JsonSerializer.Serialize(new EventSpec { Kind = "price-cut", Provider = "lab", Fraction = 0.3 }, ScenarioJson.Options);
        Assert.Equal(5, await coordinator.Inject(json));
    }
}
