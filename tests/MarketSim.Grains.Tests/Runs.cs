namespace MarketSim.Grains.Tests;

/// <summary>Runs a scenario on an engine and keeps its observations and outcome.</summary>
public static class Runs
{
    public static async Task<(RunOutcome Outcome, List<TickObservation> Ticks)> RunAsync(ISimulationEngine engine, Scenario scenario)
    {
        var ticks = new List<TickObservation>();
        var outcome = await engine.RunAsync(new MarketSetup(scenario), o => { ticks.Add(o); return ValueTask.CompletedTask; }, CancellationToken.None);
        return (outcome, ticks);
    }

    public static Task<(RunOutcome Outcome, List<TickObservation> Ticks)> ReferenceAsync(Scenario scenario) =>
        RunAsync(new ReferenceSimulation(), scenario);
}
