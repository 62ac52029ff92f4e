using System.Diagnostics;
using MarketSim.Model.Engine;

namespace MarketSim.Cli.Bench;

/// <summary>
/// Where the reference engine's time goes: the steps of <see cref="ReferenceEngine.Step"/> repeated here with a
/// stopwatch around each phase (<c>marketsim bench-worker --profile</c>). Same calls in the same order, so the
/// same results; only the clock is added.
/// </summary>
public static class PhaseProfile
{
    public static readonly string[] Phases =
        ["plan", "negotiate", "decide", "demand", "fills", "consume", "settle", "observe"];

    public static Dictionary<string, double> Run(MarketSetup setup)
    {
        var providers = Enumerable.Range(0, setup.ProviderCount).Select(i => new ProviderAgent(setup, i)).ToArray();
        var blocks = Enumerable.Range(0, setup.BlockCount).Select(i => new CustomerBlock(setup, i)).ToArray();
        var view = MarketKernel.InitialView(setup);
        var seconds = new double[Phases.Length];
        var clock = new Stopwatch();
        void Lap(int phase)
        {
            seconds[phase] += clock.Elapsed.TotalSeconds;
            clock.Restart();
        }
        for (var tick = 0; tick < setup.Ticks; tick++)
        {
            clock.Restart();
            var board = QuoteBoard.Assemble(tick, [.. providers.Select(p => p.Plan(tick, view))]);
            Lap(0);
            var batches = blocks.Select(b => b.Negotiate(tick, board)).ToArray();
            Lap(1);
            var decisions = providers.Select(p => p.DecideContracts(tick, MarketKernel.RequestsFor(p.Index, batches))).ToArray();
            var routed = MarketKernel.RouteDecisions(batches, decisions);
            Lap(2);
            var demand = blocks.Select((b, i) => b.ApplyDecisionsAndMeasureDemand(tick, board, routed[i])).ToArray();
            Lap(3);
            var fills = MarketKernel.ComputeFills(board, demand);
            Lap(4);
            var usage = blocks.Select(b => b.Consume(tick, board, fills)).ToArray();
            Lap(5);
            var byProvider = MarketKernel.UsageByProvider(providers.Length, usage);
            var reports = providers.Select(p => p.Settle(tick, byProvider[p.Index])).ToArray();
            Lap(6);
            var observation = MarketKernel.Observe(setup, tick, reports, usage, MarketKernel.NegotiationTotals(batches, decisions));
            view = MarketKernel.ViewOf(observation);
            Lap(7);
        }
        return Phases.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => seconds[x.i]);
    }
}
