namespace MarketSim.Model.Engine;

/// <summary>How a run ended.</summary>
public sealed record RunOutcome(string Fingerprint, int TicksCompleted, bool Cancelled);

/// <summary>An engine that runs a scenario tick by tick and hands each observation to the caller: the reference
/// engine in one loop, or the Orleans engine across grains.</summary>
public interface ISimulationEngine
{
    string Name { get; }

    /// <summary>Runs the scenario to its horizon (or until cancelled, stopping at a tick boundary), calling
    /// <paramref name="onTick"/> after each tick in order.</summary>
    Task<RunOutcome> RunAsync(MarketSetup setup, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken);
}

/// <summary>The sequential reference engine behind <see cref="ISimulationEngine"/>.</summary>
public sealed class ReferenceSimulation : ISimulationEngine
{
    public string Name => "reference";

    public async Task<RunOutcome> RunAsync(MarketSetup setup, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken)
    {
        var engine = new ReferenceEngine(setup);
        while (!engine.Finished && !cancellationToken.IsCancellationRequested)
            await onTick(engine.Step());
        return new RunOutcome(engine.Fingerprint(), engine.NextTick, !engine.Finished);
    }
}
