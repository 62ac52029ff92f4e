using Orleans.Runtime;

namespace MarketSim.Grains;

/// <summary>How a grain that hosts agents is named in a failure.</summary>
public interface IAgentLabel
{
    string Label { get; }
}

/// <summary>
/// A failure inside an agent group grain that is not a transport failure (the model threw) becomes a
/// <see cref="RunFailedException"/> naming the agent, the phase and the tick, so that the coordinator fails the run at
/// once instead of returning to a checkpoint and replaying into the same exception. Registered for every silo by
/// <c>ConfigureMarketSim</c>; filters added after it run inside it.
/// </summary>
public sealed class AgentFaultFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.TargetContext.GrainInstance is not IAgentLabel agent)
        {
            await context.Invoke();
            return;
        }
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (e is not (RunFailedException or AgentStateLostException or ArgumentException) && !RunFaults.IsTransient(e))
        {
            var tick = context.Request.GetArgumentCount() > 0 && context.Request.GetArgument(0) is int t ? t : -1;
            var phase = context.InterfaceMethod?.Name ?? "a call";
            // An agent of a group names itself; the group is named only when none of its agents threw.
            var (label, cause) = e is AgentFailedException failed ? (failed.Agent, failed.InnerException!) : (agent.Label, e);
            throw new RunFailedException($"{label} failed in {phase}{(tick >= 0 ? $" on tick {tick}" : "")}: {cause.GetType().Name}: {cause.Message}", tick, label);
        }
    }
}
