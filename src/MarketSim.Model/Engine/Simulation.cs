namespace MarketSim.Model.Engine;

/// <summary>How a run ended.</summary>
public sealed record RunOutcome(string Fingerprint, int TicksCompleted, bool Cancelled);

/// <summary>An engine that runs a scenario tick by tick and hands each observation to the caller: the reference
/// engine in one loop, or the Orleans engine across grains.</summary>
public interface ISimulationEngine
{
    string Name { get; }

    /// <summary>Starts a run of <paramref name="setup"/> from its start, or from <paramref name="from"/> (a fork, whose
    /// scenario is <paramref name="setup"/>'s), and returns its handle.</summary>
    Task<IRunHandle> StartAsync(MarketSetup setup, RunCheckpoint? from, CancellationToken cancellationToken);

    /// <summary>How many ticks one advance asks for when the caller has no reason to stop between them.</summary>
    int TicksPerAdvance { get; }

    /// <summary>Runs the scenario to its horizon (or until cancelled, stopping at a tick boundary), calling
    /// <paramref name="onTick"/> after each tick in order (<see cref="RunHandles.RunToEndAsync"/> on a started run).</summary>
    Task<RunOutcome> RunAsync(MarketSetup setup, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken);
}

/// <summary>What every engine does with a run handle.</summary>
public static class RunHandles
{
    /// <summary>Advances <paramref name="run"/> to its horizon (or until cancelled), <paramref name="ticksPerAdvance"/>
    /// ticks at a time, handing each observation to <paramref name="onTick"/>; returns how it ended.</summary>
    public static async Task<RunOutcome> RunToEndAsync(IRunHandle run, int ticksPerAdvance, Func<TickObservation, ValueTask> onTick,
        CancellationToken cancellationToken)
    {
        using var subscription = run.Subscribe(onTick);
        while (!run.Finished && !cancellationToken.IsCancellationRequested)
            await run.AdvanceAsync(ticksPerAdvance, cancellationToken);
        return new RunOutcome(await run.FingerprintAsync(), run.NextTick, !run.Finished);
    }
}

/// <summary>The sequential reference engine behind <see cref="ISimulationEngine"/>.</summary>
public sealed class ReferenceSimulation : ISimulationEngine
{
    public string Name => "reference";

    public int TicksPerAdvance => 64;

    public Task<IRunHandle> StartAsync(MarketSetup setup, RunCheckpoint? from, CancellationToken cancellationToken) =>
        Task.FromResult<IRunHandle>(new ReferenceRun(setup, from));

    public Task<RunOutcome> RunAsync(MarketSetup setup, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken) =>
        RunHandles.RunToEndAsync(new ReferenceRun(setup), TicksPerAdvance, onTick, cancellationToken);
}
