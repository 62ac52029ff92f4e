namespace MarketSim.Model.Tests.Engine;

/// <summary>Agents hosted in groups (one per silo in the Orleans engine) with their customer messages merged run the
/// same market as the agents one by one: the same observations and the same state, bit for bit.</summary>
public class AgentGroupTests
{
    /// <summary>The mixed market in blocks of 64 customers (10 blocks), with an entrant injected at tick 20.</summary>
    /// <param name="logit">The long tail chooses by the logit rule.</param>
    /// <param name="rationed">The first two providers are cheap and far too small, so that demand is rationed and passed
    /// on to next choices that are full too (the demand report, passed-on demand included, then decides the fills).</param>
    private static Scenario Market(bool logit = false, bool rationed = false)
    {
        var s = TestMarkets.Mixed(customers: 600, ticks: 40);
        s.Engine.BlockSize = 64;
        if (logit) s.Customers.Segments["longtail"].Kind = SegmentKinds.Logit;
        if (rationed)
        {
            s.Providers[0] = TestMarkets.Provider("lab-a", "cost-plus", 1.0, 2);
            s.Providers[1] = TestMarkets.Provider("lab-b", "undercut", 1.1, 3);
            foreach (var p in s.Providers.Take(2)) p.Expansion.MaxOnDemandShare = 0;
        }
        return s;
    }

    private static EventSpec Entrant(Scenario s)
    {
        var entrant = ScenarioJson.Deserialize(ScenarioJson.Serialize(new Scenario { Providers = [s.Providers[1]] })).Providers[0];
        entrant.Id = "entrant";
        foreach (var m in entrant.Models) m.Id += "-entrant";
        return new EventSpec { Kind = "provider-entry", Entrant = entrant };
    }

    private static (List<byte[]> Ticks, string Fingerprint) Reference(bool logit = false, bool rationed = false)
    {
        var scenario = Market(logit, rationed);
        var engine = new ReferenceEngine(new MarketSetup(scenario));
        var ticks = new List<byte[]>();
        while (!engine.Finished)
        {
            if (engine.NextTick == 20) engine.Inject(Entrant(scenario));
            ticks.Add(Codec.ToBytes(engine.Step().Write));
        }
        return (ticks, engine.Fingerprint());
    }

    private static (List<byte[]> Ticks, string Fingerprint) Grouped(int groups, bool parallel, int laneCustomers = 0,
        bool logit = false, bool rationed = false)
    {
        var scenario = Market(logit, rationed);
        var setup = new MarketSetup(scenario);
        var host = new LocalGroups(setup, groups, parallel, laneCustomers);
        var view = MarketKernel.InitialView(setup);
        var ticks = new List<byte[]>();
        for (var tick = 0; tick < setup.Ticks; tick++)
        {
            if (tick == 20)
            {
                setup.Inject(Entrant(scenario), tick);
                foreach (var g in host.Groups) g.AddEntrants(setup);
            }
            var (observation, next) = groups == 1 && parallel ? host.Groups[0].RunTick(tick, view) : TickProtocol.Run(host, setup, tick, view);
            view = next;
            ticks.Add(Codec.ToBytes(observation.Write));
        }
        var fingerprint = Fingerprint.Combine(setup.Ticks, Codec.ToBytes(view.Write),
            host.Providers.Select(p => Fingerprint.OfState(Codec.ToBytes(p.Write))),
            host.Blocks.Select(b => Fingerprint.OfState(Codec.ToBytes(b.Write))));
        return (ticks, fingerprint);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]   // the whole tick in the one group
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(7, false)]
    [InlineData(16, true)]
    public void Grouped_agents_run_the_reference_market_bit_for_bit(int groups, bool parallel)
    {
        var (expectedTicks, expected) = Reference();
        var (ticks, fingerprint) = Grouped(groups, parallel);
        Assert.Equal(expectedTicks.Count, ticks.Count);
        for (var t = 0; t < ticks.Count; t++) Assert.True(expectedTicks[t].AsSpan().SequenceEqual(ticks[t]), $"tick {t} differs");
        Assert.Equal(expected, fingerprint);
    }

    /// <summary>A block's customers split into lanes run in parallel (as a group does when it has fewer blocks than
    /// cores to keep busy) give the same messages as the block in one pass.</summary>
    [Theory]
    [InlineData(1, 7, false)]    // blocks of 64 customers in 9 lanes of 7 (the last of 8), the whole tick in one group
    [InlineData(3, 20, false)]
    [InlineData(1, 7, true)]     // with a segment that chooses by the logit rule
    [InlineData(2, 1, true)]     // a lane per customer
    public void Blocks_split_into_parallel_lanes_run_the_reference_market_bit_for_bit(int groups, int laneCustomers, bool logit)
    {
        var (expectedTicks, expected) = Reference(logit, rationed: true);
        var (ticks, fingerprint) = Grouped(groups, parallel: true, laneCustomers, logit, rationed: true);
        // The market is rationed: some demand is passed on to next choices (the lanes' passed-on demand counts).
        var observations = expectedTicks.Select(b => Codec.FromBytes(b, TickObservation.Read)).ToList();
        Assert.True(observations.Sum(o => o.Segments.Sum(x => x.SecondChoiceTokens)) > 0, "no demand went to a next choice");
        Assert.True(observations.Sum(o => o.TokensLost) > 0, "nothing was rationed");
        Assert.Equal(expectedTicks.Count, ticks.Count);
        for (var t = 0; t < ticks.Count; t++) Assert.True(expectedTicks[t].AsSpan().SequenceEqual(ticks[t]), $"tick {t} differs");
        Assert.Equal(expected, fingerprint);
    }

    /// <summary>Every message of every phase (the demand passed on included, which moves the fills only when a next
    /// choice is nearly full) is the same, byte for byte, with a block's customers in lanes.</summary>
    [Fact]
    public void Lanes_leave_every_phase_message_unchanged()
    {
        var one = Recorded(laneCustomers: int.MaxValue);
        var lanes = Recorded(laneCustomers: 7);
        Assert.Equal(one.Count, lanes.Count);
        Assert.Contains(one, m => m.Phase == "demand" && Codec.FromBytes(m.Bytes, DemandReport.Read).SpillDemand.Length > 0);
        for (var i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].Phase, lanes[i].Phase);
            Assert.True(one[i].Bytes.AsSpan().SequenceEqual(lanes[i].Bytes), $"message {i} ({one[i].Phase}) differs");
        }
    }

    /// <summary>The rationed market in 3 groups run in parallel, every customer message recorded in order.</summary>
    private static List<(string Phase, byte[] Bytes)> Recorded(int laneCustomers)
    {
        var setup = new MarketSetup(Market(rationed: true));
        var host = new RecordingGroups(setup, 3, laneCustomers);
        var view = MarketKernel.InitialView(setup);
        for (var tick = 0; tick < setup.Ticks; tick++) view = TickProtocol.Run(host, setup, tick, view).View;
        return host.Messages;
    }

    /// <summary>Agent groups whose customer messages are kept as they are sent.</summary>
    private sealed class RecordingGroups(MarketSetup setup, int groups, int laneCustomers)
        : GroupedAgentHost(GroupLayout.For(setup, groups), setup)
    {
        private readonly AgentGroup[] _groups = [.. Enumerable.Range(0, groups)
            .Select(g => new AgentGroup(setup, GroupLayout.For(setup, groups), g, parallel: true, laneCustomers))];

        public List<(string Phase, byte[] Bytes)> Messages { get; } = [];

        private T Keep<T>(string phase, T message) where T : class, IWireMessage<T>
        {
            Messages.Add((phase, Codec.ToBytes(message.Write)));
            return message;
        }

        protected override Task<ProviderPlan[]> Plan(int group, int tick, MarketView view) => Task.FromResult(_groups[group].Plan(tick, view));
        protected override Task<NegotiationBatch> Negotiate(int group, int tick, QuoteBoard board) =>
            Task.FromResult(Keep("negotiate", _groups[group].Negotiate(tick, board)));
        protected override Task<bool[][]> Decide(int group, int tick, ContractRequest[][] requests) => Task.FromResult(_groups[group].Decide(tick, requests));
        protected override Task<DemandReport> Demand(int group, int tick, bool[] routed) =>
            Task.FromResult(Keep("demand", _groups[group].Demand(tick, routed)));
        protected override Task<UsageReport> Consume(int group, int tick, Fills fills) =>
            Task.FromResult(Keep("consume", _groups[group].Consume(tick, fills)));
        protected override Task<ProviderReport[]> Settle(int group, int tick, ProviderUsage[] usage) => Task.FromResult(_groups[group].Settle(tick, usage));
    }

    [Fact]
    public void A_layout_splits_blocks_into_contiguous_ranges_and_deals_providers_round_robin()
    {
        var layout = new GroupLayout(3, 10);
        Assert.Equal([(0, 3), (3, 3), (6, 4)], Enumerable.Range(0, 3).Select(layout.BlocksOf));
        Assert.Equal([1, 4, 7], layout.ProvidersOf(1, 9));
        Assert.Equal([0, 1, 2], layout.GroupsWithBlocks());
        // More groups than blocks: the extra groups hold providers only.
        var wide = new GroupLayout(4, 2);
        Assert.Equal([1, 3], wide.GroupsWithBlocks());
        Assert.Equal(10, Enumerable.Range(0, 3).Sum(g => layout.BlocksOf(g).Count));
    }

    [Fact]
    public void Merged_reports_sum_every_figure_and_keep_every_passed_on_entry()
    {
        var a = new DemandReport([1, 2], [3, 4]);
        a.SetSpill([5], [100], [2]);
        var b = new DemandReport([10, 20], [30, 40]);
        b.SetSpill([5, 6], [7, 8], [1, 1]);
        var merged = DemandReport.Merge([a, b]);
        Assert.Equal([11L, 22], merged.Contract);
        Assert.Equal([33L, 44], merged.Spot);
        Assert.Equal([5, 5, 6], merged.SpillKeys);
        Assert.Equal([100L, 7, 8], merged.SpillDemand);

        var batch = NegotiationBatch.Concat([
            new NegotiationBatch([new ContractRequest { Customer = 1, Provider = 0 }], [.. Enumerable.Repeat(1L, NegotiationStats.Length)]),
            new NegotiationBatch([new ContractRequest { Customer = 70, Provider = 0 }, new ContractRequest { Customer = 65, Provider = 1 }],
                [.. Enumerable.Repeat(2L, NegotiationStats.Length)])]);
        Assert.Equal([1, 70, 65], batch.Requests.Select(r => r.Customer));
        Assert.All(batch.Stats, s => Assert.Equal(3, s));
    }

    [Fact]
    public void An_agent_that_throws_is_named_by_its_group()
    {
        var setup = new MarketSetup(Market());
        var host = new LocalGroups(setup, 2, parallel: true);
        TickProtocol.Run(host, setup, 0, MarketKernel.InitialView(setup));
        var group = host.Groups[1];
        // Usage without entries makes the group's first provider, lab-b (index 1), fail as it settles.
        var e = Assert.Throws<AgentFailedException>(() => group.Settle(0, [new ProviderUsage([], [], [])]));
        Assert.Equal("provider lab-b (1)", e.Agent);
        Assert.IsType<IndexOutOfRangeException>(e.InnerException);
        // Fills without entries make the blocks fail as they consume; the first of the group's blocks is named.
        var b = Assert.Throws<AgentFailedException>(() => group.Consume(0, new Fills([], [], [], [], [], [])));
        Assert.Equal($"customer block {group.FirstBlock}", b.Agent);
        Assert.IsType<IndexOutOfRangeException>(b.InnerException);
    }
}
