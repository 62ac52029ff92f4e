using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace MarketSim.Contracts;

/// <summary>
/// The failures of a run, sorted once for the coordinator and the client: a <em>transport</em> failure (a silo lost,
/// a connection dropped, a call timed out, an agent that lost its state with its silo) is recovered from by returning
/// to the last checkpoint and replaying; anything else is a fault of the run itself (the model threw, the input is
/// wrong) and fails the run at once, because replaying a deterministic model would only throw again.
/// </summary>
public static class RunFaults
{
    /// <summary>True for failures of the cluster's machinery that a retry or a recovery can get past.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: > 0 } a => a.InnerExceptions.All(IsTransient),
        AgentStateLostException => true,
        OrleansMessageRejectionException => true,   // includes SiloUnavailableException
        ConnectionFailedException => true,
        Orleans.Networking.Shared.SocketConnectionException => true,
        GatewayTooBusyException => true,
        ClientNotAvailableException => true,
        Orleans.Storage.InconsistentStateException => true,   // a stale activation after a partition: re-read
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        _ => false,
    };
}

/// <summary>An agent group was activated without its agents (its silo was lost and it was called again before the
/// run returned to a checkpoint): the run recovers from it.</summary>
[GenerateSerializer, Alias("MarketSim.AgentStateLostException")]
public sealed class AgentStateLostException : Exception
{
    public AgentStateLostException() { }
    public AgentStateLostException(string message) : base(message) { }
    public AgentStateLostException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The run failed for a reason a replay cannot cure: the model threw on a tick, the coordinator could not
/// recover within its limit, or the checkpoint store stayed unreachable. <see cref="Tick"/> and <see cref="Agent"/>
/// say where; the run stays at its last checkpoint (resumable with its run id once the cause is fixed).</summary>
[GenerateSerializer, Alias("MarketSim.RunFailedException")]
public sealed class RunFailedException : Exception
{
    public RunFailedException() { }
    public RunFailedException(string message) : base(message) { }
    public RunFailedException(string message, Exception inner) : base(message, inner) { }

    public RunFailedException(string message, int tick, string agent) : base(message)
    {
        Tick = tick;
        Agent = agent;
    }

    /// <summary>Tick on which the run failed (-1: not during a tick).</summary>
    [Id(0)] public int Tick { get; init; } = -1;

    /// <summary>The agent that failed ("provider openai (2)", "customer block 3", "coordinator"), or "".</summary>
    [Id(1)] public string Agent { get; init; } = "";
}

/// <summary>Another client drives this run (one client per run id at a time).</summary>
[GenerateSerializer, Alias("MarketSim.RunBusyException")]
public sealed class RunBusyException : Exception
{
    public RunBusyException() { }
    public RunBusyException(string message) : base(message) { }
    public RunBusyException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Seconds since the other client's last call.</summary>
    [Id(0)] public double IdleSeconds { get; init; }
}

/// <summary>A run exists under this id with another scenario; nothing was changed.</summary>
[GenerateSerializer, Alias("MarketSim.RunMismatchException")]
public sealed class RunMismatchException : Exception
{
    public RunMismatchException() { }
    public RunMismatchException(string message) : base(message) { }
    public RunMismatchException(string message, Exception inner) : base(message, inner) { }
}
