using System.Runtime.InteropServices;
using MarketSim.Model.Economics;
using MarketSim.Model.Randomness;

namespace MarketSim.Model.Engine;

/// <summary>One customer's state. Laid out without padding so that its bytes are its state.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct CustomerState
{
    public double BaseMillions;
    public double BudgetPerDay;
    public double WillingnessToPay;
    public double SwitchingCost;
    public double MinQuality;
    public long ContractPrice;
    public long ContractVolume;
    public long SpentMicros;
    public int ArrivalTick;
    public int ContractEnd;
    public int NextReview;
    public short ContractProvider;
    public short SpotProvider;
    public short LastProvider;
    public byte ContractTier;
    public byte SpotTier;
    public byte Segment;
    public bool Private;
    public bool PrefersTerm;
    public bool Rationed;
}

/// <summary>
/// A block of customers, each its own agent with its own state and random stream, held as an array of structs
/// so that a million customers fit in memory and a tick is one pass. The block is the unit of distribution:
/// it exchanges one batched message per phase, never one per customer and provider.
/// </summary>
public sealed class CustomerBlock : IAgentState
{
    /// <summary>A customer served less than 90 % of its demand shops again this many ticks later.</summary>
    public const int RationedReviewTicks = 3;

    private readonly MarketSetup _setup;
    public int Index { get; }
    public int FirstCustomer { get; }
    public int Count => _customers.Length;
    private readonly CustomerState[] _customers;

    // Within a tick (not state).
    private readonly long[] _demand;
    private readonly int[] _slot;
    private readonly bool[] _underContract;
    private ContractRequest[] _requests = [];
    private readonly List<ContractRequest> _requestList = [];
    private readonly SegmentTick[] _segmentTick = new SegmentTick[Segments.Count];
    private Candidate[] _top = [];

    // Derived from the quote board, per tick (not state): per segment and provider-tier slot, the price term of
    // demand at the list price and the quality term of value, so that no customer computes a power of its own.
    private QuoteBoard? _tablesFor;
    private double[] _spotPriceFactor = [];
    private double[] _qualityFactor = [];
    private int _factorsTick = -1;
    private double[] _demandFactors = [];
    // Derived from each customer's contract (not state): the price term of demand at its contract price, and
    // the price it was computed for.
    private readonly double[] _contractPriceFactor;
    private readonly long[] _contractFactorPrice;

    public CustomerBlock(MarketSetup setup, int index)
    {
        _setup = setup;
        Index = index;
        FirstCustomer = index * setup.BlockSize;
        var count = Math.Min(setup.BlockSize, setup.CustomerCount - FirstCustomer);
        _customers = new CustomerState[count];
        _demand = new long[count];
        _slot = new int[count];
        _underContract = new bool[count];
        _contractPriceFactor = new double[count];
        _contractFactorPrice = new long[count];
        Array.Fill(_contractFactorPrice, -1);
        for (var i = 0; i < count; i++) _customers[i] = CreateCustomer(FirstCustomer + i);
    }

    public ReadOnlySpan<CustomerState> Customers => _customers;

    private CustomerState CreateCustomer(int id)
    {
        var rng = RandomStream.For(_setup.Seed, id, 0, Purpose.Population);
        var segments = _setup.Segments;
        var u = rng.NextDouble();
        var seg = 0;
        double cumulative = 0;
        for (var s = 0; s < segments.Length; s++)
        {
            cumulative += segments[s].Share;
            seg = s;
            if (u < cumulative && segments[s].Share > 0) break;
        }
        var spec = segments[seg];
        var arrivalDay = Demand.ArrivalDay(rng.NextDouble(), spec.InitialAdoption, spec.AdoptionMidpointDays, spec.AdoptionSteepness);
        var arrivalTick = arrivalDay / _setup.TickDays >= _setup.Ticks ? int.MaxValue : (int)Math.Ceiling(arrivalDay / _setup.TickDays);
        var reviewTicks = _setup.DaysToTicks(_setup.Scenario.Market.SpotReviewDays);
        return new CustomerState
        {
            Segment = (byte)seg,
            BaseMillions = spec.DailyTokensMillions * Math.Exp(spec.DemandSpread * rng.NextNormal()),
            BudgetPerDay = spec.BudgetPerDay * Math.Exp(0.5 * rng.NextNormal()),
            WillingnessToPay = spec.WillingnessToPay * Math.Exp(0.25 * rng.NextNormal()),
            SwitchingCost = spec.SwitchingCost * Math.Exp(0.5 * rng.NextNormal()),
            MinQuality = Math.Clamp(spec.MinQuality + 0.05 * rng.NextNormal(), 0, 0.99),
            Private = rng.NextDouble() < spec.PrivacyShare,
            PrefersTerm = rng.NextDouble() < spec.TermShare,
            ArrivalTick = arrivalTick,
            NextReview = arrivalTick == int.MaxValue ? int.MaxValue : arrivalTick + id % reviewTicks,
            ContractProvider = -1,
            SpotProvider = -1,
            LastProvider = -1,
        };
    }

    // ------------------------------------------------------------------ phase 2: negotiation

    private struct Candidate
    {
        public int Provider;
        public int Tier;
        public double Utility;
        public double Millions;
        public double Value;
        public double SwitchPerTick;
    }

    /// <summary>Customers that are new, whose contract ended or whose provider left, who were turned away, or whose
    /// periodic review is due ask their consideration set for quotes; term customers bargain and request a
    /// contract, spot customers pick the best list offer.</summary>
    public NegotiationBatch Negotiate(int tick, QuoteBoard board)
    {
        var stats = NegotiationStats.New();
        var requests = _requestList;
        requests.Clear();
        var k = Math.Max(1, _setup.Scenario.Market.ConsiderationSetSize);
        if (_top.Length != k) _top = new Candidate[k];
        var top = _top;
        var factors = DemandFactors(tick);
        PrepareTables(board);
        var reviewTicks = _setup.DaysToTicks(_setup.Scenario.Market.SpotReviewDays);
        for (var i = 0; i < _customers.Length; i++)
        {
            ref var c = ref _customers[i];
            if (c.ArrivalTick > tick) continue;
            var contractValid = c.ContractProvider >= 0 && c.ContractEnd > tick && board.Providers[c.ContractProvider].Active;
            var contractEnded = c.ContractProvider >= 0 && !contractValid;
            if (contractEnded) c.ContractProvider = -1;
            var spotLost = c.SpotProvider >= 0 && !board.Tier(c.SpotProvider, c.SpotTier).Offered;
            if (spotLost) c.SpotProvider = -1;
            // Under a valid contract a customer stays until its end; otherwise it shops when it is new, when its
            // contract ended or its provider left, or when its periodic review (brought forward after it was
            // turned away) is due.
            var needs = !contractValid && (c.ArrivalTick == tick || contractEnded || spotLost || tick >= c.NextReview);
            if (!needs) continue;
            c.NextReview = tick + reviewTicks;

            var spec = _setup.Segments[c.Segment];
            var current = contractValid ? c.ContractProvider : c.SpotProvider >= 0 ? c.SpotProvider : c.LastProvider;
            var n = RankCandidates(ref c, spec, factors[c.Segment], current, board, top);
            if (n == 0) { c.SpotProvider = -1; continue; }
            c.SpotProvider = (short)top[0].Provider;
            c.SpotTier = (byte)top[0].Tier;
            if (!c.PrefersTerm || contractValid) continue;

            ContractRequest? best = null;
            var bestUtility = double.NegativeInfinity;
            for (var j = 0; j < n; j++)
            {
                ref readonly var cand = ref top[j];
                ref readonly var q = ref board.Tier(cand.Provider, cand.Tier);
                var header = board.Providers[cand.Provider];
                var opening = (long)(q.ListPrice * (1 - Negotiation.VolumeDiscount(cand.Millions / _setup.TickDays, header.MaxVolumeDiscount)));
                var ceilingDollars = Math.Min(q.ListPrice / 1e6, cand.Value - cand.SwitchPerTick / Math.Max(cand.Millions, 1e-9));
                var ceiling = Math.Max(1, Money.FromDollars(ceilingDollars));
                var result = Negotiation.Bargain(opening, q.Reservation, header.Concession,
                    (long)(ceiling * (1 - spec.Ask)), ceiling, spec.Concession, _setup.Scenario.Market.NegotiationRounds);
                stats[(int)result.Outcome]++;
                stats[NegotiationStats.Outcomes + Math.Min(result.Rounds, NegotiationStats.MaxRounds) - 1]++;
                if (!result.Agreed) continue;
                var price = result.PriceMicros / 1e6;
                var millions = Demand.DailyMillions(c.BaseMillions * factors[c.Segment], price, spec.ReferencePrice, spec.Elasticity,
                    spec.MaxDemandMultiple, c.BudgetPerDay) * _setup.TickDays;
                var utility = Demand.DailyUtility(millions, cand.Value, price, cand.SwitchPerTick);
                if (cand.Provider == current) utility += spec.Inertia * Math.Abs(utility);
                var volume = (long)(millions * 1e6);
                if (utility > bestUtility && volume <= q.AvailableForContracts && volume > 0)
                {
                    bestUtility = utility;
                    best = new ContractRequest
                    {
                        Customer = FirstCustomer + i,
                        Provider = cand.Provider,
                        Tier = cand.Tier,
                        EndTick = tick + _setup.DaysToTicks(spec.TermDays),
                        Price = result.PriceMicros,
                        Volume = volume,
                    };
                }
            }
            if (best is { } b) requests.Add(b);
        }
        // Providers decide in customer order; group by provider, keeping customer order within each (the list is
        // in customer order and has one request per customer, so a sort on (provider, customer) is that order).
        _requests = [.. requests];
        Array.Sort(_requests, static (a, b) => a.Provider != b.Provider ? a.Provider.CompareTo(b.Provider) : a.Customer.CompareTo(b.Customer));
        return new NegotiationBatch(_requests, stats);
    }

    /// <summary>Demand at a price whose price term is given (<see cref="Demand.PriceFactor"/>), over a tick.</summary>
    private double DemandMillions(ref CustomerState c, SegmentSpec spec, double factor, double price, double priceFactor) =>
        Demand.DailyMillions(c.BaseMillions * factor, price, priceFactor, spec.MaxDemandMultiple, c.BudgetPerDay) * _setup.TickDays;

    /// <summary>The segments' demand factors at a tick, computed once per tick.</summary>
    private double[] DemandFactors(int tick)
    {
        if (_factorsTick != tick)
        {
            _demandFactors = _setup.DemandFactors(tick);
            _factorsTick = tick;
        }
        return _demandFactors;
    }

    /// <summary>Per segment and slot of this board: the price term at the list price and the quality term.</summary>
    private void PrepareTables(QuoteBoard board)
    {
        if (ReferenceEquals(_tablesFor, board)) return;
        var slots = board.Tiers.Length;
        var segments = _setup.Segments;
        if (_spotPriceFactor.Length != slots * segments.Length)
        {
            _spotPriceFactor = new double[slots * segments.Length];
            _qualityFactor = new double[slots * segments.Length];
        }
        for (var s = 0; s < segments.Length; s++)
        {
            var spec = segments[s];
            for (var slot = 0; slot < slots; slot++)
            {
                ref readonly var q = ref board.Tiers[slot];
                _spotPriceFactor[s * slots + slot] = Demand.PriceFactor(q.ListPrice / 1e6, spec.ReferencePrice, spec.Elasticity);
                _qualityFactor[s * slots + slot] = Demand.QualityFactor(q.Quality, spec.QualityWeight);
            }
        }
        _tablesFor = board;
    }

    /// <summary>The price term of customer i's demand at its contract price (computed when the price changes).</summary>
    private double ContractPriceFactor(int i, ref CustomerState c, SegmentSpec spec)
    {
        if (_contractFactorPrice[i] != c.ContractPrice)
        {
            _contractPriceFactor[i] = Demand.PriceFactor(c.ContractPrice / 1e6, spec.ReferencePrice, spec.Elasticity);
            _contractFactorPrice[i] = c.ContractPrice;
        }
        return _contractPriceFactor[i];
    }

    /// <summary>Keeps the k offers of highest positive utility, best first (ties to the lower provider index).</summary>
    private int RankCandidates(ref CustomerState c, SegmentSpec spec, double factor, int current, QuoteBoard board, Candidate[] top)
    {
        var n = 0;
        var tenure = Math.Max(1, _setup.DaysToTicks(spec.TermDays));
        var slots = board.Tiers.Length;
        var priceFactors = _spotPriceFactor.AsSpan(c.Segment * slots, slots);
        var qualityFactors = _qualityFactor.AsSpan(c.Segment * slots, slots);
        for (var p = 0; p < board.ProviderCount; p++)
        {
            var header = board.Providers[p];
            if (!header.Active || (c.Private && !header.Private)) continue;
            for (var t = 0; t < Tiers.Count; t++)
            {
                ref readonly var q = ref board.Tier(p, t);
                if (!q.Offered || q.Quality < c.MinQuality) continue;
                var price = q.ListPrice / 1e6;
                var slot = p * Tiers.Count + t;
                var value = c.WillingnessToPay * qualityFactors[slot];   // Demand.ValuePerMillion
                var millions = DemandMillions(ref c, spec, factor, price, priceFactors[slot]);
                var switchPerTick = current >= 0 && p != current ? c.SwitchingCost / tenure : 0;
                var utility = Demand.DailyUtility(millions, value, price, switchPerTick);
                if (p == current) utility += spec.Inertia * Math.Abs(utility);
                if (utility <= 0) continue;
                var cand = new Candidate { Provider = p, Tier = t, Utility = utility, Millions = millions, Value = value, SwitchPerTick = switchPerTick };
                var pos = n < top.Length ? n++ : top.Length;
                while (pos > 0 && top[pos - 1].Utility < utility) pos--;
                if (pos >= top.Length) continue;
                for (var j = Math.Min(n, top.Length) - 1; j > pos; j--) top[j] = top[j - 1];
                top[pos] = cand;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ phase 3: decisions and demand

    /// <summary>Applies the providers' decisions on this block's requests (aligned with the batch it sent) and
    /// reports the tick's demand per provider and tier.</summary>
    public DemandReport ApplyDecisionsAndMeasureDemand(int tick, QuoteBoard board, bool[] accepted)
    {
        for (var r = 0; r < _requests.Length; r++)
        {
            ref readonly var req = ref _requests[r];
            if (!accepted[r]) continue;
            ref var c = ref _customers[req.Customer - FirstCustomer];
            c.ContractProvider = (short)req.Provider;
            c.ContractTier = (byte)req.Tier;
            c.ContractPrice = req.Price;
            c.ContractVolume = req.Volume;
            c.ContractEnd = req.EndTick;
        }

        var report = DemandReport.Empty(board.ProviderCount);
        var factors = DemandFactors(tick);
        PrepareTables(board);
        var slots = board.Tiers.Length;
        for (var i = 0; i < _customers.Length; i++)
        {
            ref var c = ref _customers[i];
            _slot[i] = -1;
            _demand[i] = 0;
            if (c.ArrivalTick > tick) continue;
            long price;
            double priceFactor;
            var spec = _setup.Segments[c.Segment];
            if (c.ContractProvider >= 0 && c.ContractEnd > tick && board.Providers[c.ContractProvider].Active)
            {
                _slot[i] = c.ContractProvider * Tiers.Count + c.ContractTier;
                _underContract[i] = true;
                price = c.ContractPrice;
                priceFactor = ContractPriceFactor(i, ref c, spec);
            }
            else if (c.SpotProvider >= 0 && board.Tier(c.SpotProvider, c.SpotTier).Offered)
            {
                _slot[i] = c.SpotProvider * Tiers.Count + c.SpotTier;
                _underContract[i] = false;
                price = board.Tiers[_slot[i]].ListPrice;
                priceFactor = _spotPriceFactor[c.Segment * slots + _slot[i]];
            }
            else continue;
            _demand[i] = (long)(DemandMillions(ref c, spec, factors[c.Segment], price / 1e6, priceFactor) * 1e6);
            if (_underContract[i]) report.Contract[_slot[i]] += _demand[i];
            else report.Spot[_slot[i]] += _demand[i];
        }
        return report;
    }

    // ------------------------------------------------------------------ phase 3b: usage and payment

    /// <summary>Consumes what the providers can serve (the fills), pays for it, and reports usage per provider
    /// and tier and the segments' figures.</summary>
    public UsageReport Consume(int tick, QuoteBoard board, Fills fills)
    {
        var slots = board.ProviderCount * Tiers.Count;
        var served = new long[slots];
        var paid = new long[slots];
        var demand = new long[slots];
        Array.Clear(_segmentTick);
        PrepareTables(board);
        for (var i = 0; i < _customers.Length; i++)
        {
            ref var c = ref _customers[i];
            if (c.ArrivalTick > tick) continue;
            ref var seg = ref _segmentTick[c.Segment];
            seg.ActiveCustomers++;
            if (c.ArrivalTick == tick) seg.Arrivals++;
            var slot = _slot[i];
            if (slot < 0) { c.Rationed = false; continue; }
            var contract = _underContract[i];
            var num = contract ? fills.ContractNum[slot] : fills.SpotNum[slot];
            var den = contract ? fills.ContractDen[slot] : fills.SpotDen[slot];
            var tokens = Money.Scale(_demand[i], num, den);
            var price = contract ? c.ContractPrice : board.Tiers[slot].ListPrice;
            var payment = Money.Charge(tokens, price);
            served[slot] += tokens;
            paid[slot] += payment;
            demand[slot] += _demand[i];
            c.SpentMicros += payment;
            c.Rationed = tokens < _demand[i];
            if (10 * tokens < 9 * _demand[i]) c.NextReview = Math.Min(c.NextReview, tick + RationedReviewTicks);
            var provider = slot / Tiers.Count;
            if (c.LastProvider >= 0 && c.LastProvider != provider) seg.Switches++;
            c.LastProvider = (short)provider;
            if (contract) seg.UnderContract++;
            var value = c.WillingnessToPay * _qualityFactor[c.Segment * slots + slot];   // Demand.ValuePerMillion
            seg.DemandTokens += _demand[i];
            seg.ServedTokens += tokens;
            seg.SpendMicros += payment;
            seg.SurplusMicros += Money.FromDollars(tokens / 1e6 * value) - payment;
        }
        return new UsageReport(served, paid, demand, [.. _segmentTick]);
    }

    // ------------------------------------------------------------------ state

    public void Write(BinaryWriter w) => Codec.WriteArray(w, _customers);

    public void Read(BinaryReader r) => Codec.ReadArrayInto(r, _customers);
}
