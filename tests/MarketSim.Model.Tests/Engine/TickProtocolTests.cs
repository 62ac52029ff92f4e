namespace MarketSim.Model.Tests.Engine;

public class TickProtocolTests
{
    /// <summary>The agents of <see cref="LocalAgents"/>, answering each call only after the caller has gone on
    /// (as grains do), and not before <see cref="Gate"/> is open.</summary>
    private sealed class LaterAgents(LocalAgents inner) : IAgentHost
    {
        public LocalAgents Inner => inner;
        public Task Gate { get; init; } = Task.CompletedTask;

        private async ValueTask<T> Later<T>(Func<ValueTask<T>> call)
        {
            await Task.Yield();
            await Gate;
            return await call();
        }

        public ValueTask<ProviderPlan[]> PlanAsync(int tick, MarketView view) => Later(() => inner.PlanAsync(tick, view));
        public ValueTask<NegotiationBatch[]> NegotiateAsync(int tick, QuoteBoard board) => Later(() => inner.NegotiateAsync(tick, board));
        public ValueTask<bool[][]> DecideAsync(int tick, ContractRequest[][] requests) => Later(() => inner.DecideAsync(tick, requests));
        public ValueTask<DemandReport[]> DemandAsync(int tick, bool[][] routed) => Later(() => inner.DemandAsync(tick, routed));
        public ValueTask<UsageReport[]> ConsumeAsync(int tick, Fills fills) => Later(() => inner.ConsumeAsync(tick, fills));
        public ValueTask<ProviderReport[]> SettleAsync(int tick, ProviderUsage[] usage) => Later(() => inner.SettleAsync(tick, usage));
    }

    [Fact]
    public async Task A_host_that_answers_later_ends_in_the_reference_engines_state()
    {
        var scenario = TestMarkets.Mixed(customers: 900, ticks: 40);
        var reference = new ReferenceEngine(new MarketSetup(scenario));
        var setup = new MarketSetup(scenario);
        var agents = new LaterAgents(new LocalAgents(setup));
        var view = MarketKernel.InitialView(setup);
        for (var tick = 0; tick < scenario.Ticks; tick++)
        {
            var expected = reference.Step();
            var result = await TickProtocol.RunAsync(agents, setup, tick, view);
            Assert.Equal(Codec.ToBytes(expected.Write), Codec.ToBytes(result.Observation.Write));
            view = result.View;
        }
        var fingerprint = Fingerprint.Combine(scenario.Ticks, Codec.ToBytes(view.Write),
            agents.Inner.Providers.Select(p => Fingerprint.OfState(Codec.ToBytes(p.Write))),
            agents.Inner.Blocks.Select(b => Fingerprint.OfState(Codec.ToBytes(b.Write))));
        Assert.Equal(reference.Fingerprint(), fingerprint);
    }

    [Fact]
    public void The_synchronous_run_refuses_a_host_that_answers_later()
    {
        var setup = new MarketSetup(TestMarkets.Mixed(customers: 100, ticks: 2));
        var agents = new LaterAgents(new LocalAgents(setup)) { Gate = new TaskCompletionSource().Task };
        Assert.Throws<InvalidOperationException>(() => TickProtocol.Run(agents, setup, 0, MarketKernel.InitialView(setup)));
    }

    [Fact]
    public async Task A_provider_without_contract_requests_is_not_asked()
    {
        var setup = new MarketSetup(TestMarkets.Mixed(customers: 100, ticks: 2));
        var agents = new LocalAgents(setup);
        var decisions = await agents.DecideAsync(0, [null!, [], [new ContractRequest { Provider = 2, Tier = 0, Volume = 1, EndTick = 30 }]]);
        Assert.Empty(decisions[0]);
        Assert.Empty(decisions[1]);
        Assert.Single(decisions[2]);
    }
}
