using MarketSim.Client;
using MarketSim.Contracts;
using MarketSim.Model.Scenarios;
using Orleans;
using MarketSim.Model.Engine;

namespace MarketSim.Cli;

/// <summary>
/// A run on a Redis-backed cluster under a known run id. If the cluster already holds a run with that id (it was
/// started before and the client, or the whole cluster, stopped), the run continues from where the coordinator
/// stands, which after a restart is its last checkpoint; the ticks before that are recomputed in this process by
/// the reference engine (deterministic, so they are exactly the ticks the cluster ran) so that the run's files and
/// summary cover the whole run from tick 0.
/// </summary>
public sealed class ClusterSimulation(IClusterClient cluster, string runId, int checkpointEvery, int ticksPerAdvance,
    TextWriter log) : ISimulationEngine
{
    public string Name => "orleans";

    public string RunId => runId;

    /// <summary>Tick the cluster continued from (0 for a new run).</summary>
    public int ResumedAt { get; private set; }

    public async Task<RunOutcome> RunAsync(MarketSetup setup, Func<TickObservation, ValueTask> onTick, CancellationToken cancellationToken)
    {
        var engine = new OrleansSimulation(cluster, runId) { CheckpointEvery = checkpointEvery, TicksPerAdvance = ticksPerAdvance };
        var scenarioJson = ScenarioJson.Serialize(setup.Scenario);
        var coordinator = engine.Coordinator;
        var status = await coordinator.Start(new StartRun(scenarioJson, checkpointEvery));
        ResumedAt = status.NextTick;
        if (status.NextTick > 0)
        {
            await log.WriteLineAsync($"run {runId}: resuming on the cluster at tick {status.NextTick} of {status.Ticks} (its last checkpoint); " +
                $"recomputing ticks 0..{status.NextTick - 1} for the output files with the reference engine");
            var reference = new ReferenceEngine(new MarketSetup(ScenarioJson.Deserialize(scenarioJson)));
            while (reference.NextTick < status.NextTick && !cancellationToken.IsCancellationRequested)
                await onTick(reference.Step());
            if (cancellationToken.IsCancellationRequested)
                return new RunOutcome(reference.Fingerprint(), reference.NextTick, true);
        }
        var next = status.NextTick;
        async ValueTask Deliver(TickObservation observation)
        {
            if (observation.Tick > next)
            {
                // An advance call whose answer was lost with a silo (the client gave up waiting, and the coordinator
                // had already run those ticks): recompute the missing ticks here, exactly as the cluster ran them.
                await log.WriteLineAsync($"run {runId}: the observations of ticks {next}..{observation.Tick - 1} were lost with a silo; " +
                    "recomputing them with the reference engine");
                var reference = new ReferenceEngine(new MarketSetup(ScenarioJson.Deserialize(scenarioJson)));
                while (reference.NextTick < observation.Tick)
                {
                    var replayed = reference.Step();
                    if (replayed.Tick >= next) await onTick(replayed);
                }
            }
            await onTick(observation);
            next = observation.Tick + 1;
        }
        return await engine.Drive(coordinator, status.NextTick, Deliver, cancellationToken);
    }
}
