using System.Diagnostics;
using Orleans.Runtime;

namespace MarketSim.Client;

/// <summary>
/// How a client calls a run's coordinator: a call that fails for a transport reason (<see cref="RunFaults.IsTransient"/>)
/// is made again, for at most <see cref="FailureLimit"/>; any other failure (the model failed, the input was refused)
/// is the caller's at once. While a call is outstanding the cluster's membership is watched: when a silo that was
/// active at the call's start is declared dead, the call is given up and made again, so the loss of the coordinator's
/// silo (or of the gateway that carries the answer) costs the few seconds Orleans takes to declare it dead, not a call
/// timeout. Calls are idempotent (a run's coordinator keeps every tick until a caller has it), so a repeat is safe.
/// Another client driving the run is waited for while its lease may still run out (it was killed), then refused.
/// </summary>
public sealed class RunCalls(IClusterClient cluster, Action<string>? report = null)
{
    /// <summary>How long calls may keep failing (a silo lost, the coordinator moving) before the run fails.</summary>
    public TimeSpan FailureLimit { get; init; } = ClusterDefaults.ClientFailureLimit;

    /// <summary>How long to wait for another client's hold on a run to lapse (a killed client's lease runs out).</summary>
    public TimeSpan BusyWait { get; init; } = ClusterDefaults.DriverWait;

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private HashSet<SiloAddress>? _silos;
    private long _silosAt;

    public async Task<T> Call<T>(Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        Stopwatch? failing = null, busy = null;
        while (true)
        {
            try
            {
                return await Watched(call, cancellationToken);
            }
            catch (RunBusyException e) when (!cancellationToken.IsCancellationRequested)
            {
                busy ??= Stopwatch.StartNew();
                if (busy.Elapsed >= BusyWait) throw;
                if (busy.Elapsed < Poll) report?.Invoke($"{e.Message.Split(';')[0]}; waiting up to {BusyWait.TotalSeconds:F0} s for it to lapse");
                await Task.Delay(Poll, CancellationToken.None);
            }
            catch (Exception e) when ((RunFaults.IsTransient(e) || e is SiloLostException) && !cancellationToken.IsCancellationRequested)
            {
                failing ??= Stopwatch.StartNew();
                if (failing.Elapsed >= FailureLimit)
                    throw new RunFailedException($"the cluster did not answer for {FailureLimit.TotalSeconds:F0} s ({e.GetType().Name}: {e.Message.Split('\n')[0]}). " +
                        "fix: check that the silos are up (marketsim silo, scripts/cluster.sh status); a run on a Redis cluster resumes with --run-id");
                if (e is SiloLostException) report?.Invoke(e.Message);
                await Task.Delay(e is SiloLostException ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    private async Task<T> Watched<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var before = await ActiveSilos(maxAge: TimeSpan.FromSeconds(2));
        var task = call();
        while (true)
        {
            var done = await Task.WhenAny(task, Task.Delay(Poll, CancellationToken.None));
            if (done == task) return await task;
            if (cancellationToken.IsCancellationRequested)
            {
                Abandon(task);
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (before is null) continue;
            var now = await ActiveSilos(maxAge: TimeSpan.Zero);
            if (now is null) continue;
            var lost = before.Where(s => !now.Contains(s)).ToList();
            if (lost.Count > 0)
            {
                Abandon(task);
                throw new SiloLostException($"silo {string.Join(", ", lost)} was declared dead during a call; calling again");
            }
        }
    }

    /// <summary>The active silos, from the cluster's membership (cached for <paramref name="maxAge"/>); null when the
    /// membership cannot be read within a second (then the call is not watched).</summary>
    private async Task<HashSet<SiloAddress>?> ActiveSilos(TimeSpan maxAge)
    {
        if (_silos is not null && Stopwatch.GetElapsedTime(_silosAt) < maxAge) return _silos;
        try
        {
            var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Poll);
            _silos = [.. hosts.Keys];
            _silosAt = Stopwatch.GetTimestamp();
            return _silos;
        }
        catch (Exception)
        {
            return null;   // membership unknown for now: the call is not watched
        }
    }

    private static void Abandon(Task task) =>
        _ = task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);   // its answer, if any, is not needed

    private sealed class SiloLostException(string message) : Exception(message);
}
