using MarketSim.Model.Economics;
using MarketSim.Model.Randomness;

namespace MarketSim.Model.Engine;

/// <summary>
/// One provider: its models, GPU fleet, contract book and cash. Each tick it plans (unit costs, list prices,
/// capacity), decides contract requests in customer order within capacity, and settles (costs, cash, funding,
/// exit, learning, capacity). Plain deterministic code: both engines call exactly this.
/// </summary>
public sealed class ProviderAgent : IAgentState
{
    /// <summary>Share of capacity a provider will commit to term contracts.</summary>
    public const double ContractCommitLimit = 0.9;

    private readonly MarketSetup _setup;
    private readonly ProviderSpec _spec;
    public int Index { get; }
    public string Id => _spec.Id;

    // --- state (all of it is written by Write and read by Read) ---
    private bool _active;
    private bool _exited;
    private long _cash;
    private int _fundingLeft;
    private int[] _fleet;
    private List<GpuOrder> _orders = [];
    private string _strategy;
    private PricingSpec _pricing;
    private int _strategyStartTick;
    private double _utilisation;
    private readonly TierState[] _tiers = new TierState[Tiers.Count];
    private readonly int[] _modelOfTier = [-1, -1, -1];
    private readonly QLearner?[] _learners = new QLearner?[Tiers.Count];

    // --- within a tick (not state: recomputed every plan) ---
    private readonly double[] _unitCost = new double[Tiers.Count];
    private readonly long[] _capacity = new long[Tiers.Count];
    private long[] _available = new long[Tiers.Count];
    private bool _enteredThisTick;
    private bool _exitedThisTick;
    private int _fundingThisTick;

    private struct TierState
    {
        public double Ratio;
        public double Quality;
        public double Share;
        public long ListPrice;
        public double PriceCutFactor;
        public int PriceCutUntil;
        public long Committed;
        public long LastDemand;
        public int LearnerState;
        public int LearnerAction;
        public double LearnerReward;
        public bool LearnerPending;
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct GpuOrder
    {
        public int ArrivalTick;
        public int Gpu;
        public int Count;
        public int RetireGpu;
        public int RetireCount;
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
        foreach (var f in _spec.Fleet) _fleet[setup.GpuIndex(f.Gpu)] += f.Count;
        _strategy = _spec.Strategy;
        _pricing = _spec.Pricing;
        _strategyStartTick = setup.EntryTick[index];
        _active = setup.EntryTick[index] == 0;
        for (var i = 0; i < _spec.Models.Count; i++)
        {
            var m = _spec.Models[i];
            var t = Tiers.IndexOf(m.Tier);
            _modelOfTier[t] = i;
            _tiers[t] = new TierState
            {
                Ratio = m.Compression.Ratio,
                Quality = m.Quality,
                Share = 1.0 / _spec.Models.Count,
                ListPrice = m.ListPrice is { } lp ? Money.FromDollars(lp) : 0,
                PriceCutFactor = 1,
                LearnerState = -1,
            };
        }
        RebuildLearners();
    }

    public bool Active => _active;

    private void RebuildLearners()
    {
        for (var t = 0; t < Tiers.Count; t++)
            _learners[t] = _strategy == PricingStrategies.Adaptive && _modelOfTier[t] >= 0
                ? new QLearner(_pricing.Learner.GridSize, _pricing.Learner.LearningRate, _pricing.Learner.Discount, _pricing.Learner.ExplorationDecay)
                : null;
    }

    private ModelSpec Model(int tier) => _spec.Models[_modelOfTier[tier]];

    // ------------------------------------------------------------------ phase 1: costs and list prices

    /// <summary>Applies the tick's events, receives GPUs, computes unit costs and sets list prices from the market
    /// as it stood at the end of the previous tick.</summary>
    public ProviderPlan Plan(int tick, MarketView view)
    {
        _enteredThisTick = _exitedThisTick = false;
        _fundingThisTick = 0;
        if (!_active && !_exited && _setup.EntryTick[Index] == tick)
        {
            _active = true;
            _enteredThisTick = true;
            _strategyStartTick = tick;
        }
        foreach (var e in _setup.EventsAt(tick)) Apply(e, tick);
        ReceiveOrders(tick);
        if (_endings.Remove(tick, out var ending))
            for (var t = 0; t < Tiers.Count; t++) _tiers[t].Committed -= ending[t];

        var header = new ProviderQuote
        {
            Active = _active,
            Private = _spec.Private,
            Concession = _pricing.Concession,
            MaxVolumeDiscount = _pricing.MaxVolumeDiscount,
        };
        var quotes = new TierQuote[Tiers.Count];
        if (!_active) return new ProviderPlan(header, quotes);

        var target = _spec.Expansion.TargetUtilisation;
        for (var t = 0; t < Tiers.Count; t++)
        {
            if (_modelOfTier[t] < 0) continue;
            ref var s = ref _tiers[t];
            var tps = FleetTokensPerSecond(t, tick, out var hourlyCost);
            _capacity[t] = (long)(tps * s.Share * 86400 * _setup.TickDays);
            _unitCost[t] = UnitCost(t, tps, hourlyCost, target);
            var price = SetListPrice(t, tick, view);
            s.ListPrice = Math.Max(1, Money.FromDollars(price * (s.PriceCutUntil > tick ? s.PriceCutFactor : 1)));
            var reservation = PricingStrategies.ReservationPrice(_strategy, _pricing, _unitCost[t], _spec.MinMargin, DaysSince(tick));
            _available[t] = Math.Max(0, (long)(_capacity[t] * ContractCommitLimit) - s.Committed);
            quotes[t] = new TierQuote
            {
                Offered = true,
                ListPrice = s.ListPrice,
                Reservation = Math.Max(1, Money.FromDollars(reservation)),
                UnitCost = _unitCost[t],
                Quality = s.Quality,
                Capacity = _capacity[t],
                AvailableForContracts = _available[t],
            };
        }
        return new ProviderPlan(header, quotes);
    }

    private int DaysSince(int tick) => (tick - _strategyStartTick) * _setup.TickDays;

    /// <summary>Tokens per second of the whole fleet if it all served this tier's model; also the fleet's hourly
    /// cost at target utilisation.</summary>
    private double FleetTokensPerSecond(int tier, int tick, out double hourlyCost)
    {
        var m = Model(tier);
        var ratio = _tiers[tier].Ratio;
        double tps = 0;
        hourlyCost = 0;
        for (var g = 0; g < _fleet.Length; g++)
        {
            if (_fleet[g] == 0) continue;
            var gpu = _setup.Gpus[g].Spec;
            tps += _fleet[g] * CostFormulas.TokensPerSecondPerGpu(gpu.TokensPerSecond, m.ParametersB, ratio, m.Parallelism.Eta, m.Parallelism.Gpus);
            hourlyCost += _fleet[g] * CostFormulas.HourlyGpuCost(_setup.GpuPricePerHour(g, tick), _spec.ReservedShare,
                _spec.Expansion.TargetUtilisation, _setup.ElectricityPrice, gpu.PowerWatts, _spec.Pue);
        }
        return tps;
    }

    /// <summary>Unit cost per million tokens at the target utilisation: serving cost plus training and fixed
    /// costs spread over the tokens the model's share of the fleet serves.</summary>
    private double UnitCost(int tier, double fleetTps, double fleetHourlyCost, double utilisation)
    {
        if (fleetTps <= 0) return double.PositiveInfinity;
        var serving = CostFormulas.ServingCostPerMillionTokens(fleetHourlyCost, fleetTps, utilisation);
        var m = Model(tier);
        var share = _tiers[tier].Share;
        var millionsPerDay = fleetTps * share * 86400 * utilisation / 1e6;
        var overheadPerDay = CostFormulas.TrainingCostPerDay(m.TrainingCost, m.AmortisationMonths) + _spec.FixedCostPerDay * share;
        return serving + (millionsPerDay > 0 ? overheadPerDay / millionsPerDay : 0);
    }

    private double SetListPrice(int tier, int tick, MarketView view)
    {
        ref var s = ref _tiers[tier];
        var c = _unitCost[tier];
        if (tick == 0 && s.ListPrice > 0 && _strategy != PricingStrategies.Adaptive)
            return Money.ToDollars(s.ListPrice);
        var rival = view.LowestRivalPrice(Index, tier);
        if (_strategy == PricingStrategies.Adaptive) return LearnerPrice(tier, tick, c, rival);
        var input = new PricingInput(c, s.Quality, rival, view.PriceIndex[tier], view.AverageQuality[tier], DaysSince(tick));
        return PricingStrategies.RulePrice(_strategy, _pricing, input);
    }

    private double LearnerPrice(int tier, int tick, double unitCost, double rivalPrice)
    {
        ref var s = ref _tiers[tier];
        var learner = _learners[tier]!;
        var l = _pricing.Learner;
        var low = unitCost * l.LowMultiple;
        var high = unitCost * l.HighMultiple;
        var own = s.LearnerAction < 0 ? l.GridSize / 2 : s.LearnerAction;
        var rival = double.IsNaN(rivalPrice) ? 0 : QLearner.NearestIndex(low, high, l.GridSize, rivalPrice);
        var state = learner.StateOf(Math.Max(0, own), rival);
        if (s.LearnerPending && s.LearnerState >= 0)
            learner.Learn(s.LearnerState, s.LearnerAction, s.LearnerReward, state);
        var rng = RandomStream.For(_setup.Seed, RandomStream.ProviderAgent(Index) * 4 + tier, tick, Purpose.Exploration);
        var action = learner.Choose(state, tick - _strategyStartTick, ref rng);
        s.LearnerState = state;
        s.LearnerAction = action;
        s.LearnerPending = false;
        return QLearner.GridPrice(low, high, l.GridSize, action);
    }

    private void Apply(MarketEvent e, int tick)
    {
        var mine = e.Provider == Index || e.Provider < 0;
        switch (e.Kind)
        {
            case EventKind.ProviderExit when e.Provider == Index:
                Exit();
                break;
            case EventKind.PriceCut when e.Provider == Index:
                for (var t = 0; t < Tiers.Count; t++)
                {
                    if (_modelOfTier[t] < 0 || (e.Tier >= 0 && e.Tier != t)) continue;
                    _tiers[t].PriceCutFactor = 1 - e.Fraction;
                    _tiers[t].PriceCutUntil = e.DurationTicks == int.MaxValue ? int.MaxValue : tick + e.DurationTicks;
                }
                break;
            case EventKind.StrategyChange when e.Provider == Index:
                _strategy = e.Strategy ?? _strategy;
                _pricing = e.Pricing ?? _pricing;
                _strategyStartTick = tick;
                RebuildLearners();
                break;
            case EventKind.CompressionBreakthrough when mine:
                for (var t = 0; t < Tiers.Count; t++)
                {
                    if (_modelOfTier[t] < 0 || (e.Tier >= 0 && e.Tier != t)) continue;
                    _tiers[t].Ratio *= e.Factor;
                    _tiers[t].Quality = e.Fraction > 0
                        ? Math.Max(0, _tiers[t].Quality * (1 - e.Fraction))
                        : CostFormulas.QualityAfterCompression(_tiers[t].Quality, e.Factor, Model(t).Compression.QualityLossPerHalving);
                }
                break;
        }
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
    }

    private void ReceiveOrders(int tick)
    {
        for (var i = 0; i < _orders.Count; i++)
        {
            var o = _orders[i];
            if (o.ArrivalTick > tick) continue;
            _fleet[o.Gpu] += o.Count;
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
            if (!_active || _modelOfTier[r.Tier] < 0 || r.Volume > _available[r.Tier]) continue;
            _available[r.Tier] -= r.Volume;
            _tiers[r.Tier].Committed += r.Volume;
            if (!_endings.TryGetValue(r.EndTick, out var ending)) _endings[r.EndTick] = ending = new long[Tiers.Count];
            ending[r.Tier] += r.Volume;
            accepted[i] = true;
        }
        return accepted;
    }

    // ------------------------------------------------------------------ phase 4: settlement and adaptation

    /// <summary>Books revenue and costs, raises funding or exits, learns, and reviews capacity.</summary>
    public ProviderReport Settle(int tick, ProviderUsage usage)
    {
        var tiers = new ProviderTierTick[Tiers.Count];
        long revenue = 0, served = 0, capacity = 0;
        double utilisation = 0;
        for (var t = 0; t < Tiers.Count; t++)
        {
            if (_modelOfTier[t] < 0) continue;
            revenue += usage.Paid[t];
            served += usage.Served[t];
            capacity += _active ? _capacity[t] : 0;
            if (_active && _capacity[t] > 0) utilisation += _tiers[t].Share * usage.Served[t] / (double)_capacity[t];
            _tiers[t].LastDemand = usage.Demand[t];
            tiers[t] = new ProviderTierTick
            {
                Offered = _active,
                ListPrice = _active ? _tiers[t].ListPrice : 0,
                UnitCost = _active ? _unitCost[t] : 0,
                ServedTokens = usage.Served[t],
                RevenueMicros = usage.Paid[t],
                CapacityTokens = _active ? _capacity[t] : 0,
                DemandTokens = usage.Demand[t],
                Quality = _tiers[t].Quality,
            };
        }

        long cost = 0;
        if (_active)
        {
            cost = Money.FromDollars(PeriodCost(tick, utilisation));
            for (var t = 0; t < Tiers.Count; t++)
            {
                if (_learners[t] is null) continue;
                // The learner's reward: its model's revenue less its share of the period's cost, in US$.
                _tiers[t].LearnerReward = Money.ToDollars(usage.Paid[t]) - Money.ToDollars(cost) * _tiers[t].Share;
                _tiers[t].LearnerPending = true;
            }
            _cash += revenue - cost;
            _utilisation = 0.8 * _utilisation + 0.2 * utilisation;
            if (_cash < Money.FromDollars(_spec.Funding.WhenCashBelow) && _fundingLeft > 0)
            {
                _cash += Money.FromDollars(_spec.Funding.Amount);
                _fundingLeft--;
                _fundingThisTick++;
            }
            if (_cash < 0) Exit();
            else if (ReviewDue(tick)) ReviewCapacity(tick);
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
            Gpus = _fleet.Sum(),
            FundingRoundsRaised = _fundingThisTick,
        };
        return new ProviderReport(total, tiers);
    }

    /// <summary>Cost of the tick: <c>C = Cp * P + Ce * E</c> over the fleet, plus training amortisation and fixed
    /// costs, US$.</summary>
    private double PeriodCost(int tick, double utilisation)
    {
        var hours = 24.0 * _setup.TickDays;
        double cost = 0;
        for (var g = 0; g < _fleet.Length; g++)
        {
            if (_fleet[g] == 0) continue;
            var gpuHours = _fleet[g] * hours;
            var Cp = gpuHours * _setup.GpuPricePerHour(g, tick);
            var P = CostFormulas.BilledShare(_spec.ReservedShare, utilisation);
            var E = CostFormulas.Energy(gpuHours, _setup.Gpus[g].Spec.PowerWatts, utilisation, _spec.Pue);
            cost += CostFormulas.ComputeCost(Cp, P, _setup.ElectricityPrice, E);
        }
        foreach (var m in _spec.Models)
            cost += CostFormulas.TrainingCostPerDay(m.TrainingCost, m.AmortisationMonths) * _setup.TickDays;
        return cost + _spec.FixedCostPerDay * _setup.TickDays;
    }

    private bool ReviewDue(int tick)
    {
        var every = _setup.DaysToTicks(_spec.Expansion.ReviewDays);
        return tick > 0 && (tick + Index) % every == 0;
    }

    /// <summary>Capacity review: rebalance the fleet between models by demand, order GPUs of the cheapest type
    /// per token when utilisation runs above target, release some when far below, and migrate old generations.</summary>
    private void ReviewCapacity(int tick)
    {
        RebalanceShares();
        var target = _spec.Expansion.TargetUtilisation;
        var fleet = _fleet.Sum();
        var best = CheapestGpuPerToken(tick);
        if (best < 0) return;
        var lead = _setup.DaysToTicks(_spec.Expansion.LeadTimeDays);
        if (_utilisation > target * 1.05 && _orders.Count == 0)
        {
            var growth = Math.Min(_spec.Expansion.MaxOrderShare, _utilisation / target - 1);
            var count = Math.Max(1, (int)Math.Ceiling(fleet * growth));
            var monthly = count * 24 * 30 * _setup.GpuPricePerHour(best, tick);
            if (Money.ToDollars(_cash) > 3 * monthly)
                _orders.Add(new GpuOrder { ArrivalTick = tick + lead, Gpu = best, Count = count, RetireGpu = -1 });
        }
        else if (_utilisation < target * 0.4 && fleet > 1)
        {
            var worst = CostliestGpuInFleet(tick);
            var release = Math.Max(1, (int)(_fleet[worst] * 0.1));
            _fleet[worst] = Math.Max(fleet - release >= 1 ? _fleet[worst] - release : _fleet[worst], 0);
        }
        else if (_orders.Count == 0)
        {
            var old = CostliestGpuInFleet(tick);
            if (old != best && CostPerToken(best, tick) < 0.75 * CostPerToken(old, tick))
            {
                var retire = Math.Max(1, _fleet[old] / 4);
                var replace = (int)Math.Ceiling(retire * _setup.Gpus[old].Spec.TokensPerSecond / _setup.Gpus[best].Spec.TokensPerSecond);
                _orders.Add(new GpuOrder { ArrivalTick = tick + lead, Gpu = best, Count = replace, RetireGpu = old, RetireCount = retire });
            }
        }
    }

    private void RebalanceShares()
    {
        double total = 0;
        var weights = new double[Tiers.Count];
        for (var t = 0; t < Tiers.Count; t++)
        {
            if (_modelOfTier[t] < 0) continue;
            var m = Model(t);
            var perGpu = CostFormulas.TokensPerSecondPerGpu(1, m.ParametersB, _tiers[t].Ratio, m.Parallelism.Eta, m.Parallelism.Gpus);
            weights[t] = _tiers[t].LastDemand / perGpu;
            total += weights[t];
        }
        if (total <= 0) return;
        var models = _spec.Models.Count;
        var floor = 0.05;
        for (var t = 0; t < Tiers.Count; t++)
            if (_modelOfTier[t] >= 0)
                _tiers[t].Share = floor + (1 - floor * models) * weights[t] / total;
    }

    private double CostPerToken(int gpu, int tick)
    {
        var spec = _setup.Gpus[gpu].Spec;
        return CostFormulas.HourlyGpuCost(_setup.GpuPricePerHour(gpu, tick), _spec.ReservedShare, _spec.Expansion.TargetUtilisation,
            _setup.ElectricityPrice, spec.PowerWatts, _spec.Pue) / spec.TokensPerSecond;
    }

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
        Codec.WriteList(w, _orders);
        w.Write(_strategy);
        PricingCodec.Write(w, _pricing);
        w.Write(_strategyStartTick);
        w.Write(_utilisation);
        Codec.WriteArray(w, _tiers);
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
    }

    public void Read(BinaryReader r)
    {
        _active = r.ReadBoolean();
        _exited = r.ReadBoolean();
        _cash = r.ReadInt64();
        _fundingLeft = r.ReadInt32();
        _fleet = Codec.ReadArray<int>(r);
        _orders = Codec.ReadList<GpuOrder>(r);
        _strategy = r.ReadString();
        _pricing = PricingCodec.Read(r);
        _strategyStartTick = r.ReadInt32();
        _utilisation = r.ReadDouble();
        Codec.ReadArrayInto(r, _tiers);
        _endings = [];
        var n = r.ReadInt32();
        for (var i = 0; i < n; i++) _endings[r.ReadInt32()] = Codec.ReadArray<long>(r);
        RebuildLearners();
        for (var t = 0; t < Tiers.Count; t++)
            if (r.ReadBoolean()) _learners[t]!.Read(r);
    }
}

/// <summary>Binary form of a pricing spec (part of a provider's state, since strategy changes replace it).</summary>
public static class PricingCodec
{
    public static void Write(BinaryWriter w, PricingSpec p)
    {
        w.Write(p.Markup); w.Write(p.Undercut); w.Write(p.FloorMargin); w.Write(p.PenetrationFactor);
        w.Write(p.PenetrationDays); w.Write(p.ValuePremium); w.Write(p.Concession); w.Write(p.MaxVolumeDiscount);
        var l = p.Learner;
        w.Write(l.GridSize); w.Write(l.LowMultiple); w.Write(l.HighMultiple); w.Write(l.LearningRate);
        w.Write(l.Discount); w.Write(l.ExplorationDecay);
    }

    public static PricingSpec Read(BinaryReader r) => new()
    {
        Markup = r.ReadDouble(), Undercut = r.ReadDouble(), FloorMargin = r.ReadDouble(), PenetrationFactor = r.ReadDouble(),
        PenetrationDays = r.ReadInt32(), ValuePremium = r.ReadDouble(), Concession = r.ReadDouble(), MaxVolumeDiscount = r.ReadDouble(),
        Learner = new LearnerSpec
        {
            GridSize = r.ReadInt32(), LowMultiple = r.ReadDouble(), HighMultiple = r.ReadDouble(), LearningRate = r.ReadDouble(),
            Discount = r.ReadDouble(), ExplorationDecay = r.ReadDouble(),
        },
    };
}
