using System.Diagnostics;
using MarketSim.Model.Engine;

namespace MarketSim.Cli.Bench;

/// <summary>
/// Where the reference engine's time goes (<c>marketsim bench-worker --profile</c>): the ticks of
/// <see cref="TickProtocol"/> over <see cref="LocalAgents"/> with a stopwatch around each of the host's phase calls.
/// The kernel's work between two calls is charged to the phase it belongs to: assembling the quote board to
/// "plan", finding and routing the requests to "decide", rationing to "fills", summing usage to "settle", the
/// observation and the next view to "observe". Same agents, same protocol, so the same results; only the clock is
/// added.
/// </summary>
public static class PhaseProfile
{
    public static readonly string[] Phases =
        ["plan", "negotiate", "decide", "demand", "fills", "consume", "settle", "observe"];

    /// <summary>The index of each of <see cref="Phases"/>.</summary>
    private enum Phase { Plan, Negotiate, Decide, Demand, Fills, Consume, Settle, Observe }

    public static Dictionary<string, double> Run(MarketSetup setup)
    {
        var agents = new TimedAgents(new LocalAgents(setup));
        var view = MarketKernel.InitialView(setup);
        for (var tick = 0; tick < setup.Ticks; tick++)
        {
            agents.Clock.Restart();
            view = TickProtocol.Run(agents, setup, tick, view).View;
            agents.Lap(Phase.Observe);
        }
        return Phases.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => agents.Seconds[x.i]);
    }

    /// <summary>A host that times the calls of another: the time since the last call ended is charged to the phase
    /// of the kernel's work before this call, the call itself to its own phase.</summary>
    private sealed class TimedAgents(IAgentHost inner) : IAgentHost
    {
        public Stopwatch Clock { get; } = new();
        public double[] Seconds { get; } = new double[Phases.Length];

        public void Lap(Phase phase)
        {
            Seconds[(int)phase] += Clock.Elapsed.TotalSeconds;
            Clock.Restart();
        }

        private async ValueTask<T> Timed<T>(Phase before, Phase phase, Func<ValueTask<T>> call)
        {
            Lap(before);
            var result = await call();
            Lap(phase);
            return result;
        }

        public ValueTask<ProviderPlan[]> PlanAsync(int tick, MarketView view) =>
            Timed(Phase.Plan, Phase.Plan, () => inner.PlanAsync(tick, view));

        public ValueTask<NegotiationBatch[]> NegotiateAsync(int tick, QuoteBoard board) =>
            Timed(Phase.Plan, Phase.Negotiate, () => inner.NegotiateAsync(tick, board));

        public ValueTask<bool[][]> DecideAsync(int tick, ContractRequest[][] requestsByProvider) =>
            Timed(Phase.Decide, Phase.Decide, () => inner.DecideAsync(tick, requestsByProvider));

        public ValueTask<DemandReport[]> DemandAsync(int tick, bool[][] routed) =>
            Timed(Phase.Decide, Phase.Demand, () => inner.DemandAsync(tick, routed));

        public ValueTask<UsageReport[]> ConsumeAsync(int tick, Fills fills) =>
            Timed(Phase.Fills, Phase.Consume, () => inner.ConsumeAsync(tick, fills));

        public ValueTask<ProviderReport[]> SettleAsync(int tick, ProviderUsage[] usage) =>
            Timed(Phase.Settle, Phase.Settle, () => inner.SettleAsync(tick, usage));
    }
}
