using MarketSim.Model.Economics;
using System.Runtime.InteropServices;
using MarketSim.Model.Randomness;

namespace MarketSim.Model.Engine;

/// <summary>
/// One provider: its models, GPU fleet (reserved and on-demand), contract book and cash. Each tick it plans (unit
/// costs, list prices, capacity), decides contract requests in customer order within capacity, and settles (costs,
/// cash, funding, exit, learning, capacity). Plain deterministic code: both engines call exactly this.
/// </summary>
public sealed class ProviderAgent : IAgentState
{
    private readonly MarketSetup _setup;
    private readonly ProviderSpec _spec;
    public int Index { get; }
    public string Id => _spec.Id;

    // --- state (all of it is written by Write and read by Read) ---
    private bool _active;
    private bool _exited;
    private long _cash;
    private int _fundingLeft;
    /// <summary>Reserved or owned GPUs by type, billed with the provider's reserved share.</summary>
    private int[] _fleet;
    /// <summary>On-demand GPUs by type, rented at a premium and billed in full while held.</summary>
    private int[] _rented;
    private List<GpuOrder> _orders = [];
    private string _strategy;
    private PricingSpec _pricing;
    private int _strategyStartTick;
    private double _utilisation;
    /// <summary>Scale frozen: tokens served on the provider's first tick with sales (0 before); state only then.</summary>
    private long _scaleVolume;
    private readonly TierState[] _tiers = new TierState[Tiers.Count];
    private readonly QLearner?[] _learners = new QLearner?[Tiers.Count];
    /// <summary>The calvano strategy's learner (its one model's tier), made at its first price; null otherwise.</summary>
    private CalvanoQLearner? _calvano;
    /// <summary>Periods since the calvano learner's greedy action last changed in any state.</summary>
    private long _calvanoStable;

    // --- within a tick (not state: recomputed every plan) ---
    private readonly double[] _unitCost = new double[Tiers.Count];
    private readonly long[] _capacity = new long[Tiers.Count];
    private readonly double[] _fleetTps = new double[Tiers.Count];
    private long[] _available = new long[Tiers.Count];
    private bool _enteredThisTick;
    private bool _exitedThisTick;
    private int _fundingThisTick;
    /// <summary>The calvano strategy's view of the market (grids, benchmarks) at the unit cost it was made for.</summary>
    private CalvanoMarket? _calvanoMarket;
    /// <summary>What each tier's learner showed when it priced this tick (reported, not state); NaN without one.</summary>
    private readonly LearnerView[] _learnerView = Enumerable.Repeat(LearnerView.None, Tiers.Count).ToArray();

    /// <summary>A learner at its pricing: exploration rate, the price of its greedy action in the state it priced in
    /// (US$ per million tokens) and the relative spread of its Q-values there.</summary>
    private readonly record struct LearnerView(double Exploration, double GreedyPrice, double QSpread)
    {
        public static readonly LearnerView None = new(double.NaN, double.NaN, double.NaN);
    }

    /// <summary>The provider's state records (<see cref="StateRecords"/>).</summary>
    internal static readonly Type[] StateRecordTypes = [typeof(TierState), typeof(GpuOrder)];

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct TierState
    {
        /// <summary>Index of the model served in this tier (into <see cref="MarketSetup.ModelsOf"/>), -1 if none.</summary>
        public int Model;
        public int LaunchTick;
        public double Ratio;
        public double Quality;
        public double Share;
        public long LaunchPrice;
        public long ListPrice;
        public double PriceCutFactor;
        public int PriceCutUntil;
        public long Committed;
        /// <summary>Smoothed tokens per tick customers wanted from this model (first and second choices).</summary>
        public double Wanted;
        public int LearnerState;
        public int LearnerAction;
        public double LearnerReward;
        public bool LearnerPending;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct GpuOrder
    {
        public int ArrivalTick;
        public int Gpu;
        public int Count;
        public int RetireGpu;
        public int RetireCount;
        public bool OnDemand;
    }

    /// <summary>Contract volume ending at each tick, per tier: the contract book.</summary>
    private SortedDictionary<int, long[]> _endings = [];

    public ProviderAgent(MarketSetup setup, int index)
    {
        _setup = setup;
        Index = index;
        _spec = setup.Providers[index];
        _cash = Money.FromDollars(_spec.Cash);
        _fundingLeft = _spec.Funding.Rounds;
        _fleet = new int[setup.Gpus.Count];
        _rented = new int[setup.Gpus.Count];
        foreach (var f in _spec.Fleet) _fleet[setup.GpuIndex(f.Gpu)] += f.Count;
        _strategy = _spec.Strategy;
        _pricing = _spec.Pricing;
        _strategyStartTick = setup.EntryTick[index];
        _active = setup.EntryTick[index] == 0;
        for (var t = 0; t < Tiers.Count; t++) _tiers[t] = new TierState { Model = -1, LearnerState = -1, PriceCutFactor = 1 };
        for (var i = 0; i < _spec.Models.Count; i++) Launch(i, setup.EntryTick[index]);
        foreach (var t in OfferedTiers()) _tiers[t].Share = 1.0 / _spec.Models.Count;
        RebuildLearners(setup.EntryTick[index]);
    }

    public bool Active => _active;

    /// <summary>The strategy that sets prices: the provider's own, or cost-plus with competition off (every rule
    /// strategy's price when the provider has no rival in its tier, docs/MODEL.md section 16).</summary>
    private string Strategy => _setup.Levers.CompetitionOff ? PricingStrategies.CostPlus : _strategy;

    private IEnumerable<int> OfferedTiers() => Enumerable.Range(0, Tiers.Count).Where(t => _tiers[t].Model >= 0);

    /// <summary>Puts model <paramref name="model"/> (an index into the provider's models) into its tier.</summary>
    private void Launch(int model, int tick)
    {
        var m = _setup.ModelsOf(Index)[model];
        ref var s = ref _tiers[Tiers.IndexOf(m.Tier)];
        s.Model = model;
        s.LaunchTick = tick;
        s.Ratio = m.Compression.Ratio;
        s.Quality = m.Quality;
        s.LaunchPrice = m.ListPrice is { } lp ? Money.FromDollars(lp) : 0;
        if (s.LaunchPrice > 0) s.ListPrice = s.LaunchPrice;
    }

    /// <summary>Makes the adaptive strategy's learner of every offered tier that has none (its exploration clock
    /// starts at <paramref name="tick"/>) and drops those of tiers no longer offered or under another strategy.</summary>
    private void RebuildLearners(int tick)
    {
        var l = _pricing.Learner;
        for (var t = 0; t < Tiers.Count; t++)
            _learners[t] = Strategy == PricingStrategies.Adaptive && _tiers[t].Model >= 0
                ? _learners[t] ?? new QLearner(l.GridSize, l.LearningRate, l.Discount, l.ExplorationDecay, tick)
                : null;
    }

    private ModelSpec Model(int tier) => _setup.ModelsOf(Index)[_tiers[tier].Model];

    // ------------------------------------------------------------------ phase 1: costs and list prices

    /// <summary>Applies the tick's events, receives GPUs, computes unit costs and sets list prices from the market
    /// as it stood at the end of the previous tick.</summary>
    public ProviderPlan Plan(int tick, MarketView view)
    {
        _enteredThisTick = _exitedThisTick = false;
        _fundingThisTick = 0;
        Array.Fill(_learnerView, LearnerView.None);
        // With entry off (docs/MODEL.md 16) a provider that enters after day 0 never does.
        if (!_active && !_exited && _setup.EntryTick[Index] == tick && !(_setup.Levers.EntryOff && tick > 0))
        {
            _active = true;
            _enteredThisTick = true;
            _strategyStartTick = tick;
        }
        foreach (var e in _setup.EventsAt(tick)) Apply(e, tick);
        ReceiveOrders(tick);
        if (_endings.Remove(tick, out var ending))
            for (var t = 0; t < Tiers.Count; t++) _tiers[t].Committed = Math.Max(0, _tiers[t].Committed - ending[t]);

        var header = new ProviderQuote
        {
            Active = _active,
            Private = _spec.Private,
            Appeal = _spec.Appeal,
            Concession = _pricing.Concession,
            MaxVolumeDiscount = _pricing.MaxVolumeDiscount,
        };
        var quotes = new TierQuote[Tiers.Count];
        if (!_active) return new ProviderPlan(header, quotes);

        var target = _spec.Expansion.TargetUtilisation;
        for (var t = 0; t < Tiers.Count; t++)
        {
            if (_tiers[t].Model < 0) continue;
            ref var s = ref _tiers[t];
            var tps = FleetTokensPerSecond(t, tick, out var hourlyCost);
            _fleetTps[t] = tps;
            _capacity[t] = (long)(tps * s.Share * 86400 * _setup.TickDays);
            _unitCost[t] = tps > 0 ? CostFormulas.ServingCostPerMillionTokens(hourlyCost, tps, target) : double.PositiveInfinity;
            var price = SetListPrice(t, tick, view);
            s.ListPrice = Math.Max(1, Money.FromDollars(price * (s.PriceCutUntil > tick ? s.PriceCutFactor : 1)));
            var reservation = PricingStrategies.ReservationPrice(Strategy, _pricing, _unitCost[t], _spec.MinMargin, DaysSince(tick));
            _available[t] = Math.Max(0, (long)(_capacity[t] * _spec.ContractCommitLimit) - s.Committed);
            quotes[t] = new TierQuote
            {
                Offered = true,
                ListPrice = s.ListPrice,
                Reservation = Math.Max(1, Money.FromDollars(reservation)),
                UnitCost = _unitCost[t],
                Quality = s.Quality,
                Capacity = _capacity[t],
                AvailableForContracts = _available[t],
                LogitQuality = Model(t).LogitQuality,
            };
        }
        return new ProviderPlan(header, quotes);
    }

    private int DaysSince(int tick) => (tick - _strategyStartTick) * _setup.TickDays;

    /// <summary>Tokens per second of one GPU of type <paramref name="gpu"/> serving this tier's model.</summary>
    private double TokensPerSecondPerGpu(int tier, int gpu)
    {
        var m = Model(tier);
        return CostFormulas.TokensPerSecondPerGpu(_setup.Gpus[gpu].Spec.TokensPerSecond, m.ParametersB, _tiers[tier].Ratio,
            m.Parallelism.Eta, m.Parallelism.Gpus) * m.Efficiency * _setup.Scenario.Market.ThroughputRealisation;
    }

    /// <summary>Tokens per second of the whole fleet (reserved and on-demand) if it all served this tier's model;
    /// also the fleet's hourly cost at target utilisation.</summary>
    private double FleetTokensPerSecond(int tier, int tick, out double hourlyCost)
    {
        double tps = 0;
        hourlyCost = 0;
        for (var g = 0; g < _fleet.Length; g++)
        {
            var held = _fleet[g] + _rented[g];
            if (held == 0) continue;
            tps += held * TokensPerSecondPerGpu(tier, g);
            if (_fleet[g] > 0) hourlyCost += _fleet[g] * ReservedHourlyCost(g, tick, _spec.Expansion.TargetUtilisation);
            if (_rented[g] > 0) hourlyCost += _rented[g] * OnDemandHourlyCost(g, tick, _spec.Expansion.TargetUtilisation);
        }
        return tps;
    }

    /// <summary>Hourly cost of one reserved or owned GPU at a utilisation.</summary>
    private double ReservedHourlyCost(int gpu, int tick, double utilisation) =>
        CostFormulas.HourlyGpuCost(_setup.GpuPricePerHour(gpu, tick), _spec.ReservedShare, utilisation,
            _setup.ElectricityPrice, _setup.Gpus[gpu].Spec.PowerWatts, _spec.Pue);

    /// <summary>Hourly cost of one on-demand GPU: rented at a premium and paid for every hour it is held.</summary>
    private double OnDemandHourlyCost(int gpu, int tick, double utilisation) =>
        CostFormulas.HourlyGpuCost(_setup.GpuPricePerHour(gpu, tick) * _spec.Expansion.OnDemandPremium, 1, utilisation,
            _setup.ElectricityPrice, _setup.Gpus[gpu].Spec.PowerWatts, _spec.Pue);

    private double SetListPrice(int tier, int tick, MarketView view)
    {
        ref var s = ref _tiers[tier];
        var c = _unitCost[tier];
        var holdTicks = _pricing.HoldDays == 0 ? 1 : _setup.DaysToTicks(_pricing.HoldDays);
        // Competition off: no launch price either (a launch list price is set against rivals), cost-plus from the start.
        if (s.LaunchPrice > 0 && tick < s.LaunchTick + holdTicks && Strategy != PricingStrategies.Adaptive && Strategy != PricingStrategies.Calvano
            && !_setup.Levers.CompetitionOff)
            return Money.ToDollars(s.LaunchPrice);
        if (Strategy == PricingStrategies.Calvano) return CalvanoPrice(tier, tick, c, view);
        var rival = view.LowestRivalPrice(Index, tier);
        if (Strategy == PricingStrategies.Adaptive) return LearnerPrice(tier, tick, c, rival);
        var input = new PricingInput(c, s.Quality, rival, view.RivalPriceIndex(Index, tier), view.RivalAverageQuality(Index, tier), DaysSince(tick));
        return PricingStrategies.RulePrice(Strategy, _pricing, input);
    }

    /// <summary>The adaptive strategy (docs/MODEL.md 9.6): the state is the grid index of the lowest rival price
    /// last tick (0 without a rival); the learner first learns from the previous tick's reward, then chooses
    /// epsilon-greedily, t the ticks since the learner was made.</summary>
    private double LearnerPrice(int tier, int tick, double unitCost, double rivalPrice)
    {
        ref var s = ref _tiers[tier];
        var learner = _learners[tier]!;
        var l = _pricing.Learner;
        var anchor = l.Anchor == LearnerAnchors.LaunchPrice && s.LaunchPrice > 0 ? Money.ToDollars(s.LaunchPrice) : unitCost;
        var low = anchor * l.LowMultiple;
        var high = anchor * l.HighMultiple;
        var rival = double.IsNaN(rivalPrice) ? 0 : QLearner.NearestIndex(low, high, l.GridSize, rivalPrice);
        var state = learner.StateOf(rival);
        if (s.LearnerPending && s.LearnerState >= 0)
            learner.Learn(s.LearnerState, s.LearnerAction, s.LearnerReward, state);
        var rng = RandomStream.For(_setup.Seed, RandomStream.ProviderAgent(Index) * 4 + tier, tick, Purpose.Exploration);
        var t = tick - learner.StartTick;
        var action = learner.Choose(state, t, ref rng);
        _learnerView[tier] = new LearnerView(learner.Exploration(t), QLearner.GridPrice(low, high, l.GridSize, learner.Greedy(state)), learner.Spread(state));
        s.LearnerState = state;
        s.LearnerAction = action;
        s.LearnerPending = false;
        return QLearner.GridPrice(low, high, l.GridSize, action);
    }

    /// <summary>The calvano strategy's market at a unit cost (docs/MODEL.md 9.7), kept while the unit cost stays.</summary>
    private CalvanoMarket CalvanoMarketAt(int tier, double unitCost) =>
        _calvanoMarket is { } known && known.UnitCost == unitCost
            ? known
            : _calvanoMarket = _setup.CalvanoMarketOf(Index, tier, unitCost, _pricing.Learner.GridSize);

    /// <summary>The calvano strategy (docs/MODEL.md 9.7): the state is every firm's grid index of last tick's list
    /// price on the market view (a firm without one counts at its lowest grid price); the learner first learns from the
    /// previous period's reward, then chooses epsilon-greedily with <c>epsilon = exp(-beta t)</c>, t the ticks since
    /// the strategy started.</summary>
    private double CalvanoPrice(int tier, int tick, double unitCost, MarketView view)
    {
        ref var s = ref _tiers[tier];
        var market = CalvanoMarketAt(tier, unitCost);
        var l = _pricing.Learner;
        if (_calvano is null)
        {
            var stream = RandomStream.For(_setup.Seed, RandomStream.ProviderAgent(Index) * 4 + tier, _strategyStartTick, Purpose.Exploration);
            _calvano = new CalvanoQLearner(_setup.ProviderCount, l.GridSize, CalvanoMarket.Memory, l.LearningRate, l.Discount,
                market.InitialQ(l.Discount), stream.NextUInt64());
            _calvanoStable = 0;
        }
        Span<int> actions = stackalloc int[_setup.ProviderCount];
        for (var p = 0; p < actions.Length; p++)
            actions[p] = market.NearestIndex(p, view.ListPrices[p * Tiers.Count + tier] / 1e6 / unitCost);
        var state = _calvano.JointAction(actions);
        if (s.LearnerPending && s.LearnerState >= 0)
            _calvanoStable = _calvano.Learn(s.LearnerState, s.LearnerAction, s.LearnerReward, state) ? 0 : _calvanoStable + 1;
        var epsilon = CalvanoQLearner.Exploration(l.ExplorationDecay, tick - _strategyStartTick);
        var action = _calvano.Choose(state, epsilon);
        _learnerView[tier] = new LearnerView(epsilon, market.Grids[Index][_calvano.Greedy(state)] * unitCost, _calvano.Spread(state));
        s.LearnerState = state;
        s.LearnerAction = action;
        s.LearnerPending = false;
        return market.Grids[Index][action] * unitCost;
    }

    private void Apply(MarketEvent e, int tick)
    {
        var mine = e.Provider == Index || e.Provider < 0;
        switch (e.Kind)
        {
            case EventKind.ProviderExit when e.Provider == Index:
                Exit();
                break;
            case EventKind.PriceCut when e.Provider == Index && !_setup.Levers.CompetitionOff:
                for (var t = 0; t < Tiers.Count; t++)
                {
                    if (_tiers[t].Model < 0 || (e.Tier >= 0 && e.Tier != t)) continue;
                    _tiers[t].PriceCutFactor = 1 - e.Fraction;
                    _tiers[t].PriceCutUntil = e.DurationTicks == int.MaxValue ? int.MaxValue : tick + e.DurationTicks;
                }
                break;
            case EventKind.StrategyChange when e.Provider == Index && !_setup.Levers.CompetitionOff:
                _strategy = e.Strategy ?? _strategy;
                _pricing = e.Pricing ?? _pricing;
                _strategyStartTick = tick;
                for (var t = 0; t < Tiers.Count; t++) _learners[t] = null;
                _calvano = null;
                _calvanoMarket = null;
                RebuildLearners(tick);
                break;
            case EventKind.CompressionBreakthrough when mine && !_setup.Levers.TechniqueFrozen:
                for (var t = 0; t < Tiers.Count; t++)
                {
                    if (_tiers[t].Model < 0 || (e.Tier >= 0 && e.Tier != t)) continue;
                    _tiers[t].Ratio *= e.Factor;
                    _tiers[t].Quality = e.Fraction > 0
                        ? Math.Max(0, _tiers[t].Quality * (1 - e.Fraction))
                        : CostFormulas.QualityAfterCompression(_tiers[t].Quality, e.Factor, Model(t).Compression.QualityLossPerHalving);
                }
                break;
            case EventKind.ModelRelease when e.Provider == Index && !_setup.Levers.ReleasesOff:
            {
                var tier = e.Tier;
                var added = _tiers[tier].Model < 0;
                Launch(e.Model, tick);
                _tiers[tier].PriceCutUntil = 0;
                if (added) Reshare(tier, 1.0 / OfferedTiers().Count());
                // A new model is a new product: the adaptive strategy learns its price afresh (docs/MODEL.md 9.6).
                _learners[tier] = null;
                _tiers[tier].LearnerState = -1;
                _tiers[tier].LearnerPending = false;
                RebuildLearners(tick);
                break;
            }
            case EventKind.ModelRetirement when e.Provider == Index && _tiers[e.Tier].Model == e.Model && !_setup.Levers.ReleasesOff:
                Retire(e.Tier, tick);
                break;
        }
    }

    /// <summary>Sets one tier's fleet share and scales the others so that the shares sum to one.</summary>
    private void Reshare(int tier, double share)
    {
        double others = 0;
        foreach (var t in OfferedTiers()) if (t != tier) others += _tiers[t].Share;
        foreach (var t in OfferedTiers())
            _tiers[t].Share = t == tier ? share : others > 0 ? _tiers[t].Share / others * (1 - share) : (1 - share) / Math.Max(1, OfferedTiers().Count() - 1);
    }

    /// <summary>Takes a tier's model off the market: its contracts end, its fleet share goes to the other models.</summary>
    private void Retire(int tier, int tick)
    {
        Reshare(tier, 0);
        _tiers[tier] = new TierState { Model = -1, LearnerState = -1, PriceCutFactor = 1 };
        foreach (var volumes in _endings.Values) volumes[tier] = 0;
        RebuildLearners(tick);
    }

    private void Exit()
    {
        if (!_active) return;
        _active = false;
        _exited = true;
        _exitedThisTick = true;
        _endings.Clear();
        for (var t = 0; t < Tiers.Count; t++) _tiers[t].Committed = 0;
        _orders.Clear();
        Array.Clear(_rented);
    }

    private void ReceiveOrders(int tick)
    {
        for (var i = 0; i < _orders.Count; i++)
        {
            var o = _orders[i];
            if (o.ArrivalTick > tick) continue;
            if (o.OnDemand) _rented[o.Gpu] += o.Count; else _fleet[o.Gpu] += o.Count;
            if (o.RetireCount > 0) _fleet[o.RetireGpu] = Math.Max(0, _fleet[o.RetireGpu] - o.RetireCount);
            _orders.RemoveAt(i--);
        }
    }

    // ------------------------------------------------------------------ phase 2: contract decisions

    /// <summary>Accepts the requests addressed to this provider, in the order given (customer id), while capacity
    /// for contracts remains. Returns one flag per request.</summary>
    public bool[] DecideContracts(int tick, ReadOnlySpan<ContractRequest> requests)
    {
        var accepted = new bool[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            ref readonly var r = ref requests[i];
            if (!_active || _tiers[r.Tier].Model < 0 || r.Volume > _available[r.Tier]) continue;
            _available[r.Tier] -= r.Volume;
            _tiers[r.Tier].Committed += r.Volume;
            if (!_endings.TryGetValue(r.EndTick, out var ending)) _endings[r.EndTick] = ending = new long[Tiers.Count];
            ending[r.Tier] += r.Volume;
            accepted[i] = true;
        }
        return accepted;
    }

    // ------------------------------------------------------------------ phase 4: settlement and adaptation

    /// <summary>Books revenue and costs, raises funding or exits, learns, and plans capacity.</summary>
    public ProviderReport Settle(int tick, ProviderUsage usage)
    {
        var tiers = new ProviderTierTick[Tiers.Count];
        long revenue = 0, served = 0, capacity = 0;
        double utilisation = 0;
        var w = _spec.Expansion.Smoothing;
        for (var t = 0; t < Tiers.Count; t++)
        {
            revenue += usage.Paid[t];
            served += usage.Served[t];
            if (_tiers[t].Model < 0) continue;
            ref var s = ref _tiers[t];
            capacity += _active ? _capacity[t] : 0;
            if (_active && _capacity[t] > 0) utilisation += s.Share * usage.Served[t] / (double)_capacity[t];
            s.Wanted = s.Wanted == 0 ? usage.Demand[t] : (1 - w) * s.Wanted + w * usage.Demand[t];
            tiers[t] = new ProviderTierTick
            {
                Offered = _active,
                ListPrice = _active ? s.ListPrice : 0,
                UnitCost = _active ? _unitCost[t] : 0,
                ServedTokens = usage.Served[t],
                RevenueMicros = usage.Paid[t],
                CapacityTokens = _active ? _capacity[t] : 0,
                DemandTokens = usage.Demand[t],
                Quality = s.Quality,
                LearnerExploration = _learnerView[t].Exploration,
                LearnerGreedyPrice = _learnerView[t].GreedyPrice,
                LearnerQSpread = _learnerView[t].QSpread,
            };
        }

        long cost = 0;
        if (_active)
        {
            if (_setup.Levers.ScaleFrozen && _scaleVolume == 0) _scaleVolume = served;
            cost = Money.FromDollars(PeriodCost(tick, utilisation, served));
            for (var t = 0; t < Tiers.Count; t++)
            {
                if (_calvano is not null && _tiers[t].Model >= 0)
                {
                    _tiers[t].LearnerReward = _setup.CalvanoReward(_tiers[t].ListPrice, _unitCost[t], usage.Demand[t]);
                    _tiers[t].LearnerPending = true;
                }
                if (_learners[t] is null) continue;
                // The learner's reward: its model's revenue less the unit cost of the tokens it served, in US$
                // (docs/MODEL.md 9.6). The fleet's idle hours, training and fixed costs are paid from cash, not
                // from the price: they do not move with it within the tick.
                var tokens = usage.Served[t];
                _tiers[t].LearnerReward = Money.ToDollars(usage.Paid[t]) - (tokens > 0 ? _unitCost[t] * tokens / 1e6 : 0);
                _tiers[t].LearnerPending = true;
            }
            _cash = checked(_cash + revenue - cost);
            _utilisation = (1 - w) * _utilisation + w * utilisation;
            if (_cash < Money.FromDollars(_spec.Funding.WhenCashBelow) && _fundingLeft > 0)
            {
                _cash = checked(_cash + Money.FromDollars(_spec.Funding.Amount));
                _fundingLeft--;
                _fundingThisTick++;
            }
            if (_cash < 0) Exit();
            else PlanCapacity(tick);
        }

        var total = new ProviderTick
        {
            Active = _active,
            Entered = _enteredThisTick,
            Exited = _exitedThisTick,
            RevenueMicros = revenue,
            CostMicros = cost,
            ProfitMicros = revenue - cost,
            CashMicros = _cash,
            ServedTokens = served,
            CapacityTokens = capacity,
            Utilisation = utilisation,
            Gpus = _fleet.Sum() + _rented.Sum(),
            FundingRoundsRaised = _fundingThisTick,
            RentedGpus = _rented.Sum(),
            LearnerStableTicks = _calvano is null ? -1 : _calvanoStable,
        };
        return new ProviderReport(total, tiers);
    }

    /// <summary>Cost of the tick: <c>C = Cp * P + Ce * E</c> over the reserved fleet (idle reserved hours paid) and
    /// the on-demand GPUs (paid in full at their premium), plus training costs amortised over their months from each
    /// model's launch, plus fixed costs, US$. Sunk costs are paid here, from cash, and never enter the unit cost
    /// that prices are set from. Scale frozen: the overheads (training and fixed) are charged per token served at
    /// their rate on the provider's first day with sales, overheads x served / first-day served.</summary>
    private double PeriodCost(int tick, double utilisation, long served)
    {
        var hours = 24.0 * _setup.TickDays;
        double cost = 0;
        for (var g = 0; g < _fleet.Length; g++)
        {
            var power = _setup.Gpus[g].Spec.PowerWatts;
            if (_fleet[g] > 0)
            {
                var gpuHours = _fleet[g] * hours;
                var Cp = gpuHours * _setup.GpuPricePerHour(g, tick);
                var P = CostFormulas.BilledShare(_spec.ReservedShare, utilisation);
                var E = CostFormulas.Energy(gpuHours, power, utilisation, _spec.Pue);
                cost += CostFormulas.ComputeCost(Cp, P, _setup.ElectricityPrice, E);
            }
            if (_rented[g] > 0)
            {
                var gpuHours = _rented[g] * hours;
                var Cp = gpuHours * _setup.GpuPricePerHour(g, tick) * _spec.Expansion.OnDemandPremium;
                var E = CostFormulas.Energy(gpuHours, power, utilisation, _spec.Pue);
                cost += CostFormulas.ComputeCost(Cp, 1, _setup.ElectricityPrice, E);
            }
        }
        // Live, the overheads are added to the compute cost in this order (the sums stay bit for bit as they were).
        var perToken = _setup.Levers.ScaleFrozen && _scaleVolume > 0;
        var total = perToken ? 0 : cost;
        var models = _setup.ModelsOf(Index);
        for (var i = 0; i < models.Count; i++)
        {
            var launched = _setup.ModelLaunchTick(Index, i);
            if (launched > tick) continue;
            var days = (tick - launched) * _setup.TickDays;
            total += CostFormulas.TrainingCostPerDay(models[i].TrainingCost, models[i].AmortisationMonths, days) * _setup.TickDays;
        }
        total += _spec.FixedCostPerDay * _setup.TickDays;
        return perToken ? cost + total * (served / (double)_scaleVolume) : total;
    }

    private bool ReviewDue(int tick)
    {
        var every = _setup.DaysToTicks(_spec.Expansion.ReviewDays);
        return tick > 0 && (tick + Index) % every == 0;
    }

    /// <summary>GPUs of the cheapest type per token (the best type) that the smoothed demand needs at the target
    /// utilisation: per tier, the tokens wanted over what one best GPU serves in a tick at target. Only tiers whose
    /// list price covers the serving cost of on-demand capacity count, unless the provider is deliberately pricing
    /// below cost (a price cut or penetration), when it serves what it has promised to sell.</summary>
    private double GpusNeeded(int best, int tick)
    {
        var target = _spec.Expansion.TargetUtilisation;
        var strategic = Strategy == PricingStrategies.Penetration && DaysSince(tick) < _pricing.PenetrationDays;
        double need = 0;
        foreach (var t in OfferedTiers())
        {
            ref readonly var s = ref _tiers[t];
            var perGpu = TokensPerSecondPerGpu(t, best) * 86400 * _setup.TickDays * target;
            if (perGpu <= 0) continue;
            var onDemandCost = CostFormulas.ServingCostPerMillionTokens(OnDemandHourlyCost(best, tick, target), TokensPerSecondPerGpu(t, best), target);
            var worthIt = strategic || s.PriceCutUntil > tick || Money.ToDollars(s.ListPrice) >= onDemandCost;
            if (worthIt) need += s.Wanted / perGpu;
            else need += Math.Min(s.Wanted, _capacity[t]) / perGpu;
        }
        return need;
    }

    /// <summary>The fleet in GPUs of the best type: each GPU counted by its throughput relative to the best.</summary>
    private double Equivalent(int[] counts, int best)
    {
        double eq = 0;
        var reference = _setup.Gpus[best].Spec.TokensPerSecond;
        for (var g = 0; g < counts.Length; g++) eq += counts[g] * _setup.Gpus[g].Spec.TokensPerSecond / reference;
        return eq;
    }

    private double InFlight(int best, bool onDemand)
    {
        double eq = 0;
        var reference = _setup.Gpus[best].Spec.TokensPerSecond;
        foreach (var o in _orders)
            if (o.OnDemand == onDemand) eq += o.Count * _setup.Gpus[o.Gpu].Spec.TokensPerSecond / reference;
        return eq;
    }

    /// <summary>Capacity planning after each tick: the fleet is divided between models by demand and margin; GPUs
    /// are rented on demand within days when the smoothed demand needs more than the fleet holds and released when
    /// it needs less; at each review, reserved GPUs (cheaper) are ordered with a lead time to replace rented ones
    /// and meet lasting demand (several orders may be in flight), some are released when utilisation stays far
    /// below target, and old generations migrate to cheaper ones.</summary>
    private void PlanCapacity(int tick)
    {
        var x = _spec.Expansion;
        var best = CheapestGpuPerToken(tick);
        if (best < 0) return;
        RebalanceShares(tick);
        var need = GpusNeeded(best, tick);
        var reserved = Equivalent(_fleet, best);
        var rented = Equivalent(_rented, best);
        var rentedInFlight = InFlight(best, onDemand: true);
        var reservedInFlight = InFlight(best, onDemand: false);
        var monthDays = CostFormulas.DaysPerMonth;

        // On demand, every tick: rent the gap, release the excess.
        var gap = need - reserved - rented - rentedInFlight - reservedInFlight;
        if (gap >= 1)
        {
            var room = x.MaxOnDemandShare * Math.Max(1, _fleet.Sum()) - _rented.Sum() - CountInFlight(onDemand: true);
            var count = (int)Math.Min(Math.Ceiling(gap), Math.Floor(room));
            var monthly = count * 24 * monthDays * _setup.GpuPricePerHour(best, tick) * x.OnDemandPremium;
            if (count > 0 && Money.ToDollars(_cash) > monthly)
                _orders.Add(new GpuOrder { ArrivalTick = tick + _setup.DaysToTicks(Math.Max(1, x.OnDemandLeadDays)), Gpu = best, Count = count, RetireGpu = -1, OnDemand = true });
        }
        else if (_rented.Sum() > 0 && reserved + rented - need >= 1)
        {
            var excess = reserved + rented - need;
            for (var g = _rented.Length - 1; g >= 0 && excess >= 1; g--)
            {
                if (_rented[g] == 0) continue;
                var per = _setup.Gpus[g].Spec.TokensPerSecond / _setup.Gpus[best].Spec.TokensPerSecond;
                var release = (int)Math.Min(_rented[g], Math.Floor(excess / per));
                _rented[g] -= release;
                excess -= release * per;
            }
        }

        if (!ReviewDue(tick)) return;
        var fleet = _fleet.Sum();
        var lead = _setup.DaysToTicks(x.LeadTimeDays);
        var lasting = need - reserved - reservedInFlight;
        if (lasting >= 1)
        {
            // Reserve what the demand keeps needing: cheaper than renting it.
            var count = (int)Math.Ceiling(Math.Min(lasting, Math.Max(1, x.MaxOrderShare * fleet)));
            var monthly = count * 24 * monthDays * _setup.GpuPricePerHour(best, tick);
            if (Money.ToDollars(_cash) > 3 * monthly)
                _orders.Add(new GpuOrder { ArrivalTick = tick + lead, Gpu = best, Count = count, RetireGpu = -1 });
        }
        else if (_utilisation < x.TargetUtilisation * x.ReleaseBelow && fleet > 1 && _rented.Sum() == 0)
        {
            var worst = CostliestGpuInFleet(tick);
            var release = Math.Max(1, (int)(_fleet[worst] * x.ReleaseShare));
            if (fleet - release >= 1) _fleet[worst] -= release;
        }
        else if (!_orders.Any(o => o.RetireCount > 0))
        {
            var old = CostliestGpuInFleet(tick);
            if (old >= 0 && old != best && CostPerToken(best, tick) < x.MigrateBelow * CostPerToken(old, tick))
            {
                var retire = Math.Max(1, _fleet[old] / 4);
                var replace = (int)Math.Ceiling(retire * _setup.Gpus[old].Spec.TokensPerSecond / _setup.Gpus[best].Spec.TokensPerSecond);
                _orders.Add(new GpuOrder { ArrivalTick = tick + lead, Gpu = best, Count = replace, RetireGpu = old, RetireCount = retire });
            }
        }
    }

    private int CountInFlight(bool onDemand) => _orders.Where(o => o.OnDemand == onDemand).Sum(o => o.Count);

    /// <summary>Divides the fleet between the provider's models every tick. Each model needs the share of the fleet
    /// that serves its smoothed demand at target utilisation; when the needs fit, every model gets its need (and
    /// the spare capacity in proportion); when they do not, the models that earn the most per GPU are served first.
    /// Every offered model keeps at least the minimum share.</summary>
    private void RebalanceShares(int tick)
    {
        var offered = OfferedTiers().ToArray();
        if (offered.Length == 0) return;
        var target = _spec.Expansion.TargetUtilisation;
        var need = new double[Tiers.Count];
        double total = 0;
        foreach (var t in offered)
        {
            var full = _fleetTps[t] * 86400 * _setup.TickDays * target;
            need[t] = full > 0 ? _tiers[t].Wanted / full : 0;
            total += need[t];
        }
        if (total <= 0) return;
        var shares = new double[Tiers.Count];
        if (total <= 1)
            foreach (var t in offered) shares[t] = need[t] / total;
        else
        {
            var left = 1.0;
            foreach (var t in offered.OrderByDescending(t => (Money.ToDollars(_tiers[t].ListPrice) - _unitCost[t]) * _fleetTps[t]).ThenBy(t => t))
            {
                shares[t] = Math.Min(need[t], left);
                left -= shares[t];
            }
        }
        var floor = _spec.Expansion.MinModelShare;
        double sum = 0;
        foreach (var t in offered) sum += shares[t] = Math.Max(floor, shares[t]);
        foreach (var t in offered) _tiers[t].Share = shares[t] / sum;
    }

    private double CostPerToken(int gpu, int tick) =>
        ReservedHourlyCost(gpu, tick, _spec.Expansion.TargetUtilisation) / _setup.Gpus[gpu].Spec.TokensPerSecond;

    private int CheapestGpuPerToken(int tick)
    {
        var best = -1;
        for (var g = 0; g < _setup.Gpus.Count; g++)
            if (_setup.GpuAvailable(g, tick) && (best < 0 || CostPerToken(g, tick) < CostPerToken(best, tick))) best = g;
        return best;
    }

    private int CostliestGpuInFleet(int tick)
    {
        var worst = -1;
        for (var g = 0; g < _fleet.Length; g++)
            if (_fleet[g] > 0 && (worst < 0 || CostPerToken(g, tick) > CostPerToken(worst, tick))) worst = g;
        return worst;
    }

    // ------------------------------------------------------------------ state

    public void Write(BinaryWriter w)
    {
        w.Write(_active);
        w.Write(_exited);
        w.Write(_cash);
        w.Write(_fundingLeft);
        Codec.WriteArray(w, _fleet);
        Codec.WriteArray(w, _rented);
        StateRecords.Write(w, _orders);
        w.Write(_strategy);
        PricingCodec.Write(w, _pricing);
        w.Write(_strategyStartTick);
        w.Write(_utilisation);
        if (_setup.Levers.ScaleFrozen) w.Write(_scaleVolume);
        StateRecords.Write(w, _tiers);
        w.Write(_endings.Count);
        foreach (var (tick, volumes) in _endings)
        {
            w.Write(tick);
            Codec.WriteArray(w, volumes);
        }
        for (var t = 0; t < Tiers.Count; t++)
        {
            w.Write(_learners[t] is not null);
            _learners[t]?.Write(w);
        }
        // The calvano learner, written only under that strategy so that other providers' states keep their bytes.
        if (_strategy != PricingStrategies.Calvano) return;
        w.Write(_calvano is not null);
        if (_calvano is null) return;
        w.Write(_calvano.Firms);
        w.Write(_calvano.GridSize);
        w.Write(_calvanoStable);
        _calvano.Write(w);
    }

    public void Read(BinaryReader r)
    {
        _active = r.ReadBoolean();
        _exited = r.ReadBoolean();
        _cash = r.ReadInt64();
        _fundingLeft = r.ReadInt32();
        _fleet = Codec.ReadArray<int>(r);
        _rented = Codec.ReadArray<int>(r);
        _orders = StateRecords.ReadList<GpuOrder>(r);
        _strategy = r.ReadString();
        _pricing = PricingCodec.Read(r);
        _strategyStartTick = r.ReadInt32();
        _utilisation = r.ReadDouble();
        if (_setup.Levers.ScaleFrozen) _scaleVolume = r.ReadInt64();
        StateRecords.ReadInto(r, _tiers);
        _endings = [];
        var n = r.ReadInt32();
        for (var i = 0; i < n; i++) _endings[r.ReadInt32()] = Codec.ReadArray<long>(r);
        for (var t = 0; t < Tiers.Count; t++) _learners[t] = null;
        RebuildLearners(0);
        for (var t = 0; t < Tiers.Count; t++)
            if (r.ReadBoolean()) _learners[t]!.Read(r);
        _calvano = null;
        _calvanoMarket = null;
        if (_strategy != PricingStrategies.Calvano || !r.ReadBoolean()) return;
        var (firms, gridSize) = (r.ReadInt32(), r.ReadInt32());
        _calvanoStable = r.ReadInt64();
        _calvano = new CalvanoQLearner(firms, gridSize, CalvanoMarket.Memory, _pricing.Learner.LearningRate, _pricing.Learner.Discount,
            new double[gridSize], 0);
        _calvano.Read(r);
    }
}

/// <summary>Binary form of a pricing spec (part of a provider's state, since strategy changes replace it).</summary>
public static class PricingCodec
{
    public static void Write(BinaryWriter w, PricingSpec p)
    {
        w.Write(p.Markup); w.Write(p.Undercut); w.Write(p.FloorMargin); w.Write(p.PenetrationFactor);
        w.Write(p.PenetrationDays); w.Write(p.ValuePremium); w.Write(p.Concession); w.Write(p.MaxVolumeDiscount); w.Write(p.HoldDays);
        var l = p.Learner;
        w.Write(l.GridSize); w.Write(l.LowMultiple); w.Write(l.HighMultiple); w.Write(l.LearningRate);
        w.Write(l.Discount); w.Write(l.ExplorationDecay); w.Write(l.Anchor);
    }

    public static PricingSpec Read(BinaryReader r) => new()
    {
        Markup = r.ReadDouble(), Undercut = r.ReadDouble(), FloorMargin = r.ReadDouble(), PenetrationFactor = r.ReadDouble(),
        PenetrationDays = r.ReadInt32(), ValuePremium = r.ReadDouble(), Concession = r.ReadDouble(), MaxVolumeDiscount = r.ReadDouble(),
        HoldDays = r.ReadInt32(),
        Learner = new LearnerSpec
        {
            GridSize = r.ReadInt32(), LowMultiple = r.ReadDouble(), HighMultiple = r.ReadDouble(), LearningRate = r.ReadDouble(),
            Discount = r.ReadDouble(), ExplorationDecay = r.ReadDouble(), Anchor = r.ReadString(),
        },
    };
}
