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
    /// <summary>Provider of the customer's next choice, where its unmet demand goes when its provider is full.</summary>
    public short AltProvider;
    public byte AltTier;
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
    private readonly MarketSetup _setup;
    public int Index { get; }
    public int FirstCustomer { get; }
    public int Count => _customers.Length;
    private readonly CustomerState[] _customers;

    // Within a tick (not state).
    private readonly long[] _demand;
    private readonly int[] _slot;
    /// <summary>Slot of the customer's next choice this tick, -1 if none.</summary>
    private readonly int[] _alt;
    // Demand to be passed on to next choices this tick, by (contract or spot, first slot, next slot): sums and
    // customer counts, and the keys touched (so that only they are cleared and reported).
    private long[] _spillDemand = [];
    private long[] _spillCount = [];
    private readonly List<int> _spillKeys = [];
    private readonly bool[] _underContract;
    private ContractRequest[] _requests = [];
    private readonly List<ContractRequest> _requestList = [];
    private readonly SegmentTick[] _segmentTick = new SegmentTick[Segments.Count];

    // Derived from the quote board, per tick (not state): per segment and provider-tier slot, the price term of
    // demand at the list price and the quality term of value, so that no customer computes a power of its own.
    private QuoteBoard? _tablesFor;
    private double[] _spotPriceFactor = [];
    private double[] _qualityFactor = [];
    private double[] _offerUtility = [];
    private int _factorsTick = -1;
    // The logit segments' cumulative shares of a tick (not state): per segment and slot, and the tick's offset.
    private int _logitTick = -1;
    private QuoteBoard? _logitBoard;
    private double _logitOffset;
    private double[] _logitCumulative = [];
    private readonly bool[] _logitSegmentReady;
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
        _alt = new int[count];
        _underContract = new bool[count];
        _contractPriceFactor = new double[count];
        _contractFactorPrice = new long[count];
        Array.Fill(_contractFactorPrice, -1);
        _logitSegmentReady = new bool[setup.Segments.Length];
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
            BudgetPerDay = spec.BudgetPerDay * Math.Exp(spec.BudgetSpread * rng.NextNormal()),
            WillingnessToPay = spec.WillingnessToPay * Math.Exp(spec.WillingnessSpread * rng.NextNormal()),
            SwitchingCost = spec.SwitchingCost * Math.Exp(spec.SwitchingSpread * rng.NextNormal()),
            MinQuality = Math.Clamp(spec.MinQuality + spec.MinQualitySpread * rng.NextNormal(), 0, 0.99),
            Private = rng.NextDouble() < spec.PrivacyShare,
            PrefersTerm = rng.NextDouble() < spec.TermShare,
            ArrivalTick = arrivalTick,
            NextReview = arrivalTick == int.MaxValue ? int.MaxValue : arrivalTick + id % reviewTicks,
            ContractProvider = -1,
            SpotProvider = -1,
            LastProvider = -1,
            AltProvider = -1,
        };
    }

    // ------------------------------------------------------------------ phase 2: negotiation

    private struct Candidate
    {
        public int Provider;
        public int Tier;
        /// <summary>Choice utility at list price (<see cref="Choice"/>), taste included.</summary>
        public double Score;
        /// <summary>Everything of the score but the price term: quality, taste, loyalty or switching penalty.</summary>
        public double NonPrice;
        public double Millions;
        public double Value;
        public double SwitchPerTick;
    }

    /// <summary>Customers that are new, whose contract ended or whose provider left, who were turned away, or whose
    /// periodic review is due ask a consideration set of providers for quotes and choose by the logit rule of
    /// <see cref="Choice"/>; term customers bargain with each and request a contract from their choice at the
    /// bargained prices, spot customers buy at list price from their choice. Each also notes its next choice (at
    /// another provider), where its unmet demand goes when its provider is full.</summary>
    public NegotiationBatch Negotiate(int tick, QuoteBoard board) => Negotiate(tick, board, 1, Sequential);

    /// <summary><see cref="Negotiate(int, QuoteBoard)"/> with the customers in <paramref name="lanes"/> ranges run by
    /// <paramref name="run"/> (in parallel, say): the ranges' requests are concatenated in customer order and their
    /// counts summed, so the batch is the same whatever the lanes.</summary>
    public NegotiationBatch Negotiate(int tick, QuoteBoard board, int lanes, LaneRunner run)
    {
        var k = Math.Max(1, _setup.Scenario.Market.ConsiderationSetSize);
        var factors = DemandFactors(tick);
        PrepareTables(board);
        PrepareLogit(tick, board);
        var reviewTicks = _setup.DaysToTicks(_setup.Scenario.Market.SpotReviewDays);
        var all = Lanes(lanes);
        run(all.Length, l => NegotiateRange(tick, board, k, factors, reviewTicks, all[l], Start(l, all.Length), Start(l + 1, all.Length)));
        var stats = NegotiationStats.New();
        var requests = _requestList;
        requests.Clear();
        foreach (var lane in all)
        {
            NegotiationStats.Add(stats, lane.Stats);
            requests.AddRange(lane.Requests);
        }
        // Providers decide in customer order; group by provider, keeping customer order within each (the list is
        // in customer order and has one request per customer, so a sort on (provider, customer) is that order).
        _requests = [.. requests];
        Array.Sort(_requests, static (a, b) => a.Provider != b.Provider ? a.Provider.CompareTo(b.Provider) : a.Customer.CompareTo(b.Customer));
        return new NegotiationBatch(_requests, stats);
    }

    /// <summary>Negotiation of customers [<paramref name="from"/>, <paramref name="to"/>) with a lane's scratch: writes
    /// only those customers' state and the lane.</summary>
    private void NegotiateRange(int tick, QuoteBoard board, int k, double[] factors, int reviewTicks, Lane lane, int from, int to)
    {
        var stats = lane.Stats;
        Array.Clear(stats);
        var requests = lane.Requests;
        requests.Clear();
        var most = (k + 1) * Tiers.Count;
        if (lane.Top.Length != most) lane.Top = new Candidate[most];
        var top = lane.Top;
        for (var i = from; i < to; i++)
        {
            ref var c = ref _customers[i];
            if (c.ArrivalTick > tick) continue;
            if (_setup.LogitSegment[c.Segment])
            {
                ChooseByLogit(ref c, FirstCustomer + i, tick, board);
                continue;
            }
            var contractValid = c.ContractProvider >= 0 && c.ContractEnd > tick && board.Providers[c.ContractProvider].Active
                && board.Tier(c.ContractProvider, c.ContractTier).Offered;
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
            var n = Consider(ref c, FirstCustomer + i, spec, factors[c.Segment], current, board, tick, k, top);
            if (n == 0) { c.SpotProvider = -1; c.AltProvider = -1; continue; }
            c.SpotProvider = (short)top[0].Provider;
            c.SpotTier = (byte)top[0].Tier;
            NoteNextChoice(ref c, top, n, top[0].Provider);
            if (!c.PrefersTerm || contractValid) continue;

            ContractRequest? best = null;
            var bestScore = double.NegativeInfinity;
            var chosen = -1;
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
                var score = cand.NonPrice - spec.PriceWeight * Math.Log(Math.Max(price, 1e-9));
                var volume = (long)(millions * 1e6);
                if (score > bestScore && volume <= q.AvailableForContracts && volume > 0)
                {
                    bestScore = score;
                    chosen = cand.Provider;
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
            if (best is { } b)
            {
                requests.Add(b);
                NoteNextChoice(ref c, top, n, chosen);
            }
        }
    }

    /// <summary>Runs lanes 0..count-1 of a phase: one after another (<see cref="Sequential"/>) or in parallel.</summary>
    public delegate void LaneRunner(int count, Action<int> lane);

    public static readonly LaneRunner Sequential = static (count, lane) => { for (var l = 0; l < count; l++) lane(l); };

    /// <summary>A lane's scratch within a phase (not state): what its range of customers adds to the block's message.</summary>
    private sealed class Lane
    {
        public Candidate[] Top = [];
        public readonly List<ContractRequest> Requests = [];
        public readonly long[] Stats = NegotiationStats.New();
        public long[] Contract = [];
        public long[] Spot = [];
        /// <summary>Demand passed on, (key, tokens) per customer (lane 0 adds to the block's table directly).</summary>
        public readonly List<(int Key, long Demand)> Spill = [];
        public long[] Served = [];
        public long[] Paid = [];
        public long[] Demand = [];
        public readonly SegmentTick[] Segments = new SegmentTick[Engine.Segments.Count];
    }

    private Lane[] _lanes = [];

    /// <summary>The scratch of <paramref name="count"/> lanes (made once, kept between ticks).</summary>
    private Lane[] Lanes(int count)
    {
        count = Math.Clamp(count, 1, Math.Max(1, _customers.Length));
        if (_lanes.Length != count)
        {
            var lanes = new Lane[count];
            for (var l = 0; l < count; l++) lanes[l] = l < _lanes.Length ? _lanes[l] : new Lane();
            _lanes = lanes;
        }
        return _lanes;
    }

    /// <summary>First customer (index in the block) of lane <paramref name="lane"/> of <paramref name="count"/>.</summary>
    private int Start(int lane, int count) => (int)((long)lane * _customers.Length / count);

    /// <summary>The logit segments' shares of this tick, computed before the lanes run, so that they only read them.</summary>
    private void PrepareLogit(int tick, QuoteBoard board)
    {
        for (var s = 0; s < _setup.Segments.Length; s++)
            if (_setup.LogitSegment[s]) LogitCumulativeShares(s, tick, board);
    }

    /// <summary>
    /// A customer of a logit segment (docs/MODEL.md section 7.5) buys, every tick, at list price from one offer or from
    /// none (the outside good), so that the segment's customers split in the shares of <see cref="Logit.Shares"/> over
    /// the offers on the board, with utilities <c>a_i - p_i</c> and <c>a_0</c>: each customer takes the offer whose
    /// interval of the cumulative shares holds its point of the tick, <c>frac(id x phi + offset_t)</c> (a golden-ratio
    /// sequence over customer ids, shifted by a uniform of the tick from the root seed), so that among n customers each
    /// offer gets its share of them to within a few customers, whatever the blocks. No negotiation, no contract, no
    /// next choice: rationed demand is lost.
    /// </summary>
    private void ChooseByLogit(ref CustomerState c, int id, int tick, QuoteBoard board)
    {
        var cumulative = LogitCumulativeShares(c.Segment, tick, board);
        c.ContractProvider = -1;
        c.AltProvider = -1;
        c.SpotProvider = -1;
        var point = LogitPoint(id, _logitOffset);
        for (var slot = 0; slot < cumulative.Length; slot++)
        {
            if (point >= cumulative[slot]) continue;
            c.SpotProvider = (short)(slot / Tiers.Count);
            c.SpotTier = (byte)(slot % Tiers.Count);
            return;
        }
    }

    /// <summary>The agent key of the logit offset's stream: the market, not a customer (customers are 0 and up).</summary>
    private const long LogitAgent = -1;

    /// <summary>A customer's point in [0, 1) for the logit choice of a tick: <c>frac(id x phi + offset)</c>.</summary>
    internal static double LogitPoint(int id, double offset)
    {
        var x = id * 0.6180339887498949 + offset;
        return x - Math.Floor(x);
    }

    /// <summary>Per provider-tier slot, the cumulative logit share of the offers up to it (the outside good last),
    /// computed once per segment and tick from the board with <see cref="Logit.Shares"/>.</summary>
    private ReadOnlySpan<double> LogitCumulativeShares(int segment, int tick, QuoteBoard board)
    {
        if (_logitTick != tick || _logitBoard != board)
        {
            _logitTick = tick;
            _logitBoard = board;
            _logitOffset = RandomStream.For(_setup.Seed, LogitAgent, tick, Purpose.LogitChoice).NextDouble();
            Array.Fill(_logitSegmentReady, false);
        }
        var slots = board.Tiers.Length;
        if (_logitCumulative.Length != _setup.Segments.Length * slots) _logitCumulative = new double[_setup.Segments.Length * slots];
        var cumulative = _logitCumulative.AsSpan(segment * slots, slots);
        if (!_logitSegmentReady[segment])
        {
            var spec = _setup.Segments[segment];
            Span<double> utilities = slots <= 256 ? stackalloc double[slots] : new double[slots];
            Span<double> shares = slots <= 256 ? stackalloc double[slots] : new double[slots];
            for (var slot = 0; slot < slots; slot++)
            {
                ref readonly var q = ref board.Tiers[slot];
                utilities[slot] = q.Offered && board.Providers[slot / Tiers.Count].Active
                    ? q.LogitQuality - q.ListPrice / 1e6 : double.NegativeInfinity;
            }
            Logit.Shares(utilities, spec.OutsideUtility, spec.Mu, shares);
            double sum = 0;
            for (var slot = 0; slot < slots; slot++) cumulative[slot] = sum += shares[slot];
            _logitSegmentReady[segment] = true;
        }
        return cumulative;
    }

    /// <summary>The customer's next choice: its best candidate at a provider other than the one it chose.</summary>
    private static void NoteNextChoice(ref CustomerState c, Candidate[] top, int n, int chosen)
    {
        c.AltProvider = -1;
        for (var j = 0; j < n; j++)
        {
            if (top[j].Provider == chosen) continue;
            c.AltProvider = (short)top[j].Provider;
            c.AltTier = (byte)top[j].Tier;
            return;
        }
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

    /// <summary>Per segment and slot of this board: the price term of demand at the list price, the quality term of
    /// value and the systematic choice utility at the list price.</summary>
    private void PrepareTables(QuoteBoard board)
    {
        if (ReferenceEquals(_tablesFor, board)) return;
        var slots = board.Tiers.Length;
        var segments = _setup.Segments;
        if (_spotPriceFactor.Length != slots * segments.Length)
        {
            _spotPriceFactor = new double[slots * segments.Length];
            _qualityFactor = new double[slots * segments.Length];
            _offerUtility = new double[slots * segments.Length];
        }
        for (var s = 0; s < segments.Length; s++)
        {
            var spec = segments[s];
            for (var slot = 0; slot < slots; slot++)
            {
                ref readonly var q = ref board.Tiers[slot];
                _spotPriceFactor[s * slots + slot] = Demand.PriceFactor(q.ListPrice / 1e6, spec.ReferencePrice, spec.Elasticity);
                _qualityFactor[s * slots + slot] = Demand.QualityFactor(q.Quality, spec.QualityWeight);
                _offerUtility[s * slots + slot] = q.Offered ? Choice.OfferUtility(q.Quality, spec.QualityWeight, q.ListPrice / 1e6, spec.PriceWeight) : 0;
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

    /// <summary>Whether a provider can serve the customer at all: active, private deployment if needed, and a model
    /// of at least the customer's least quality.</summary>
    private static bool Eligible(in CustomerState c, QuoteBoard board, int p)
    {
        var header = board.Providers[p];
        if (!header.Active || (c.Private && !header.Private)) return false;
        for (var t = 0; t < Tiers.Count; t++)
        {
            ref readonly var q = ref board.Tier(p, t);
            if (q.Offered && q.Quality >= c.MinQuality) return true;
        }
        return false;
    }

    /// <summary>The customer's consideration set (its current provider and up to k others drawn at random from the
    /// eligible ones, from its own stream), scored by <see cref="Choice"/>: the offers worth buying, best first.</summary>
    private int Consider(ref CustomerState c, int id, SegmentSpec spec, double factor, int current, QuoteBoard board, int tick, int k, Candidate[] top)
    {
        Span<int> set = stackalloc int[k + 1];
        var size = 0;
        if (current >= 0 && Eligible(c, board, current)) set[size++] = current;
        var first = size;
        var rng = RandomStream.For(_setup.Seed, id, tick, Purpose.Consideration);
        var seen = 0;
        for (var p = 0; p < board.ProviderCount; p++)
        {
            if (p == current || !Eligible(c, board, p)) continue;
            // Reservoir sampling: every eligible provider is equally likely to be among the k asked.
            if (seen < k) set[first + seen] = p;
            else if (rng.NextInt(seen + 1) is var r && r < k) set[first + r] = p;
            seen++;
        }
        size = first + Math.Min(seen, k);

        var n = 0;
        var tenure = Math.Max(1, _setup.DaysToTicks(spec.TermDays));
        var slots = board.Tiers.Length;
        var priceFactors = _spotPriceFactor.AsSpan(c.Segment * slots, slots);
        var qualityFactors = _qualityFactor.AsSpan(c.Segment * slots, slots);
        var utilities = _offerUtility.AsSpan(c.Segment * slots, slots);
        var penalty = SwitchingPenalty(ref c, spec, factor, current, board, tenure);
        for (var j = 0; j < size; j++)
        {
            var p = set[j];
            for (var t = 0; t < Tiers.Count; t++)
            {
                ref readonly var q = ref board.Tier(p, t);
                if (!q.Offered || q.Quality < c.MinQuality) continue;
                var price = q.ListPrice / 1e6;
                var slot = p * Tiers.Count + t;
                var value = c.WillingnessToPay * qualityFactors[slot];   // Demand.ValuePerMillion
                var millions = DemandMillions(ref c, spec, factor, price, priceFactors[slot]);
                var switchPerTick = current >= 0 && p != current ? c.SwitchingCost / tenure : 0;
                // The outside option: an offer is worth buying only if its tokens are worth more than they cost.
                if (Demand.DailyUtility(millions, value, price, switchPerTick) <= 0) continue;
                var taste = spec.TasteSpread * Logit.Gumbel(TasteUniform(id, slot));
                var loyalty = p == current ? Choice.Loyalty(spec.Inertia) : -penalty;
                var score = utilities[slot] + board.Providers[p].Appeal + taste + loyalty;
                var cand = new Candidate
                {
                    Provider = p, Tier = t, Score = score, NonPrice = score + spec.PriceWeight * Math.Log(Math.Max(price, 1e-9)),
                    Millions = millions, Value = value, SwitchPerTick = switchPerTick,
                };
                var pos = n < top.Length ? n++ : top.Length;
                while (pos > 0 && (top[pos - 1].Score < score || (top[pos - 1].Score == score && top[pos - 1].Provider > p))) pos--;
                if (pos >= top.Length) continue;
                for (var m = Math.Min(n, top.Length) - 1; m > pos; m--) top[m] = top[m - 1];
                top[pos] = cand;
            }
        }
        return n;
    }

    /// <summary>The customer's lasting taste draw for a slot: a uniform in (0, 1) from a stream keyed by the
    /// customer and the slot, the same at every tick, so that a customer's preferences persist.</summary>
    private double TasteUniform(int id, int slot)
    {
        var rng = RandomStream.For(_setup.Seed, id, slot, Purpose.Taste);
        return ((rng.NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));
    }

    /// <summary>The penalty of leaving the current provider: its switching cost against what the customer expects
    /// to spend there over a term (<see cref="Choice.SwitchingPenalty"/>); none when it has no provider to leave.</summary>
    private double SwitchingPenalty(ref CustomerState c, SegmentSpec spec, double factor, int current, QuoteBoard board, int tenure)
    {
        if (current < 0) return 0;
        var tier = c.ContractProvider == current ? c.ContractTier : c.SpotProvider == current ? c.SpotTier : -1;
        if (tier < 0 || !board.Tier(current, tier).Offered)
        {
            tier = -1;
            for (var t = 0; t < Tiers.Count && tier < 0; t++)
                if (board.Tier(current, t).Offered && board.Tier(current, t).Quality >= c.MinQuality) tier = t;
        }
        if (tier < 0) return 0;
        var slot = current * Tiers.Count + tier;
        var price = board.Tiers[slot].ListPrice / 1e6;
        var millions = DemandMillions(ref c, spec, factor, price, _spotPriceFactor[c.Segment * board.Tiers.Length + slot]);
        return Choice.SwitchingPenalty(c.SwitchingCost, millions * price * tenure);
    }

    // ------------------------------------------------------------------ phase 3: decisions and demand

    /// <summary>Applies the providers' decisions on this block's requests (aligned with the batch it sent) and
    /// reports the tick's demand per provider and tier, and the demand each customer would pass on to its next
    /// choice if its provider could not serve it.</summary>
    public DemandReport ApplyDecisionsAndMeasureDemand(int tick, QuoteBoard board, bool[] accepted) =>
        ApplyDecisionsAndMeasureDemand(tick, board, accepted, 1, Sequential);

    /// <summary><see cref="ApplyDecisionsAndMeasureDemand(int, QuoteBoard, bool[])"/> with the demand measured in lanes:
    /// the lanes' sums and passed-on demand are added up (integers), so the report is the same whatever the lanes.</summary>
    public DemandReport ApplyDecisionsAndMeasureDemand(int tick, QuoteBoard board, bool[] accepted, int lanes, LaneRunner run)
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
        if (_spillDemand.Length != 2 * slots * slots)
        {
            _spillDemand = new long[2 * slots * slots];
            _spillCount = new long[2 * slots * slots];
            _spillKeys.Clear();
        }
        foreach (var key in _spillKeys) _spillDemand[key] = _spillCount[key] = 0;
        _spillKeys.Clear();
        var all = Lanes(lanes);
        run(all.Length, l => MeasureDemandRange(tick, board, factors, l == 0 ? report : null, all[l], Start(l, all.Length), Start(l + 1, all.Length)));
        for (var l = 1; l < all.Length; l++)
        {
            var lane = all[l];
            for (var slot = 0; slot < slots; slot++)
            {
                report.Contract[slot] += lane.Contract[slot];
                report.Spot[slot] += lane.Spot[slot];
            }
            foreach (var (key, demand) in lane.Spill)
            {
                if (_spillCount[key]++ == 0) _spillKeys.Add(key);
                _spillDemand[key] += demand;
            }
        }
        _spillKeys.Sort();
        report.SetSpill([.. _spillKeys], [.. _spillKeys.Select(k => _spillDemand[k])], [.. _spillKeys.Select(k => _spillCount[k])]);
        return report;
    }

    /// <summary>The demand of customers [<paramref name="from"/>, <paramref name="to"/>): into <paramref name="report"/>
    /// and the block's passed-on table (lane 0), or into the lane's sums and list (the others).</summary>
    private void MeasureDemandRange(int tick, QuoteBoard board, double[] factors, DemandReport? report, Lane lane, int from, int to)
    {
        var slots = board.Tiers.Length;
        long[] contractDemand, spotDemand;
        if (report is not null) (contractDemand, spotDemand) = (report.Contract, report.Spot);
        else
        {
            if (lane.Contract.Length != slots) (lane.Contract, lane.Spot) = (new long[slots], new long[slots]);
            Array.Clear(lane.Contract);
            Array.Clear(lane.Spot);
            lane.Spill.Clear();
            (contractDemand, spotDemand) = (lane.Contract, lane.Spot);
        }
        for (var i = from; i < to; i++)
        {
            ref var c = ref _customers[i];
            _slot[i] = -1;
            _alt[i] = -1;
            _demand[i] = 0;
            if (c.ArrivalTick > tick) continue;
            long price;
            double priceFactor;
            var spec = _setup.Segments[c.Segment];
            if (c.ContractProvider >= 0 && c.ContractEnd > tick && board.Providers[c.ContractProvider].Active
                && board.Tier(c.ContractProvider, c.ContractTier).Offered)
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
            // A logit customer buys its quantity from the offer it chose (the segment's size is set by who buys at all).
            _demand[i] = _setup.LogitSegment[c.Segment]
                ? (long)(c.BaseMillions * factors[c.Segment] * _setup.TickDays * 1e6)
                : (long)(DemandMillions(ref c, spec, factors[c.Segment], price / 1e6, priceFactor) * 1e6);
            if (_underContract[i]) contractDemand[_slot[i]] += _demand[i];
            else spotDemand[_slot[i]] += _demand[i];
            if (c.AltProvider >= 0 && c.AltProvider != _slot[i] / Tiers.Count && board.Tier(c.AltProvider, c.AltTier).Offered && _demand[i] > 0)
            {
                var alt = _alt[i] = c.AltProvider * Tiers.Count + c.AltTier;
                var key = ((_underContract[i] ? slots : 0) + _slot[i]) * slots + alt;
                if (report is null) lane.Spill.Add((key, _demand[i]));
                else
                {
                    if (_spillCount[key]++ == 0) _spillKeys.Add(key);
                    _spillDemand[key] += _demand[i];
                }
            }
        }
    }

    // ------------------------------------------------------------------ phase 3b: usage and payment

    /// <summary>Consumes what the providers can serve (the fills): each customer takes its share at its provider,
    /// then what is left of its demand from its next choice as far as that one has capacity to spare (at its list
    /// price); what neither serves is lost. Pays, and reports usage per provider and tier and the segments' figures.</summary>
    public UsageReport Consume(int tick, QuoteBoard board, Fills fills) => Consume(tick, board, fills, 1, Sequential);

    /// <summary><see cref="Consume(int, QuoteBoard, Fills)"/> in lanes, whose sums are added up (integers).</summary>
    public UsageReport Consume(int tick, QuoteBoard board, Fills fills, int lanes, LaneRunner run)
    {
        var slots = board.ProviderCount * Tiers.Count;
        var served = new long[slots];
        var paid = new long[slots];
        var demand = new long[slots];
        Array.Clear(_segmentTick);
        PrepareTables(board);
        var all = Lanes(lanes);
        run(all.Length, l =>
        {
            if (l == 0) ConsumeRange(tick, board, fills, served, paid, demand, _segmentTick, 0, Start(1, all.Length));
            else
            {
                var lane = all[l];
                if (lane.Served.Length != slots) (lane.Served, lane.Paid, lane.Demand) = (new long[slots], new long[slots], new long[slots]);
                Array.Clear(lane.Served);
                Array.Clear(lane.Paid);
                Array.Clear(lane.Demand);
                Array.Clear(lane.Segments);
                ConsumeRange(tick, board, fills, lane.Served, lane.Paid, lane.Demand, lane.Segments, Start(l, all.Length), Start(l + 1, all.Length));
            }
        });
        for (var l = 1; l < all.Length; l++)
        {
            var lane = all[l];
            for (var slot = 0; slot < slots; slot++)
            {
                served[slot] += lane.Served[slot];
                paid[slot] += lane.Paid[slot];
                demand[slot] += lane.Demand[slot];
            }
            for (var g = 0; g < _segmentTick.Length; g++) _segmentTick[g].Add(lane.Segments[g]);
        }
        return new UsageReport(served, paid, demand, [.. _segmentTick]);
    }

    /// <summary>Consumption of customers [<paramref name="from"/>, <paramref name="to"/>), added to the sums given.</summary>
    private void ConsumeRange(int tick, QuoteBoard board, Fills fills, long[] served, long[] paid, long[] demand,
        SegmentTick[] segmentTick, int from, int to)
    {
        var slots = board.ProviderCount * Tiers.Count;
        var market = _setup.Scenario.Market;
        var rationedReview = _setup.DaysToTicks(market.RationedReviewDays);
        for (var i = from; i < to; i++)
        {
            ref var c = ref _customers[i];
            if (c.ArrivalTick > tick) continue;
            ref var seg = ref segmentTick[c.Segment];
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
            if (tokens < market.RationedReviewFill * _demand[i]) c.NextReview = Math.Min(c.NextReview, tick + rationedReview);
            var provider = slot / Tiers.Count;
            if (c.LastProvider >= 0 && c.LastProvider != provider) seg.Switches++;
            c.LastProvider = (short)provider;
            if (contract) seg.UnderContract++;
            var value = c.WillingnessToPay * _qualityFactor[c.Segment * slots + slot];   // Demand.ValuePerMillion
            seg.DemandTokens += _demand[i];
            seg.ServedTokens += tokens;
            seg.SpendMicros += payment;
            seg.SurplusMicros += Money.FromDollars(tokens / 1e6 * value) - payment;

            var unmet = _demand[i] - tokens;
            var alt = _alt[i];
            if (unmet <= 0 || alt < 0) continue;
            var second = Money.Scale(unmet, fills.SpillNum[alt], fills.SpillDen[alt]);
            demand[alt] += unmet;
            if (second <= 0) continue;
            var secondPayment = Money.Charge(second, board.Tiers[alt].ListPrice);
            served[alt] += second;
            paid[alt] += secondPayment;
            c.SpentMicros += secondPayment;
            seg.ServedTokens += second;
            seg.SecondChoiceTokens += second;
            seg.SpendMicros += secondPayment;
            seg.SurplusMicros += Money.FromDollars(second / 1e6 * c.WillingnessToPay * _qualityFactor[c.Segment * slots + alt]) - secondPayment;
        }
    }

    // ------------------------------------------------------------------ state

    public void Write(BinaryWriter w) => StateRecords.Write(w, _customers);

    public void Read(BinaryReader r) => StateRecords.ReadInto(r, _customers);
}
