using System.Runtime.InteropServices;

namespace MarketSim.Model.Engine;

// The messages the agents exchange within a tick. Each is plain data with a compact binary form (Write/Read),
// which the distributed engine uses on the wire and which round-trips every value exactly.

/// <summary>A provider's terms for one of its models this tick. Prices in µ$ per million tokens.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct TierQuote
{
    public bool Offered;
    public long ListPrice;
    public long Reservation;
    public double UnitCost;
    public double Quality;
    /// <summary>Tokens per day the model can serve this tick.</summary>
    public long Capacity;
    /// <summary>Tokens per day still free for new term contracts.</summary>
    public long AvailableForContracts;
    /// <summary>The model's a_i for logit segments (<see cref="Scenarios.ModelSpec.LogitQuality"/>).</summary>
    public double LogitQuality;
}

/// <summary>A provider's header on the quote board.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProviderQuote
{
    public bool Active;
    public bool Private;
    /// <summary>The provider's appeal beyond price and quality, in choice-utility units.</summary>
    public double Appeal;
    public double Concession;
    public double MaxVolumeDiscount;
}

/// <summary>All providers' quotes for a tick, as every customer sees them (phase 1 result).</summary>
public sealed class QuoteBoard(int tick, ProviderQuote[] providers, TierQuote[] tiers) : IWireMessage<QuoteBoard>
{
    public int Tick { get; } = tick;
    public ProviderQuote[] Providers { get; } = providers;
    /// <summary>provider * Tiers.Count + tier.</summary>
    public TierQuote[] Tiers { get; } = tiers;
    public int ProviderCount => Providers.Length;

    public ref TierQuote Tier(int provider, int tier) => ref Tiers[provider * Engine.Tiers.Count + tier];

    public void Write(BinaryWriter w)
    {
        w.Write(Tick);
        Codec.WriteArray(w, Providers);
        Codec.WriteArray(w, Tiers);
    }

    public static QuoteBoard Read(BinaryReader r) => new(r.ReadInt32(), Codec.ReadArray<ProviderQuote>(r), Codec.ReadArray<TierQuote>(r));

    public static QuoteBoard Assemble(int tick, IReadOnlyList<ProviderPlan> plans)
    {
        var providers = new ProviderQuote[plans.Count];
        var tiers = new TierQuote[plans.Count * Engine.Tiers.Count];
        for (var p = 0; p < plans.Count; p++)
        {
            providers[p] = plans[p].Header;
            plans[p].Tiers.CopyTo(tiers, p * Engine.Tiers.Count);
        }
        return new QuoteBoard(tick, providers, tiers);
    }
}

/// <summary>One provider's quote (phase 1, from the provider).</summary>
public sealed class ProviderPlan(ProviderQuote header, TierQuote[] tiers) : IWireMessage<ProviderPlan>
{
    public ProviderQuote Header { get; } = header;
    public TierQuote[] Tiers { get; } = tiers;

    public void Write(BinaryWriter w)
    {
        Codec.WriteArray(w, new[] { Header });
        Codec.WriteArray(w, Tiers);
    }

    public static ProviderPlan Read(BinaryReader r) => new(Codec.ReadArray<ProviderQuote>(r)[0], Codec.ReadArray<TierQuote>(r));
}

/// <summary>A customer's request for a term contract at a bargained price.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ContractRequest
{
    public int Customer;
    public int Provider;
    public int Tier;
    public int EndTick;
    public long Price;
    /// <summary>Committed tokens per day.</summary>
    public long Volume;
}

/// <summary>Negotiation counts: outcomes (see <see cref="Economics.NegotiationOutcome"/>) and rounds.</summary>
public static class NegotiationStats
{
    public const int Outcomes = 4;
    public const int MaxRounds = 16;
    /// <summary>Length of a stats array: outcome counts then a histogram of rounds 1..MaxRounds.</summary>
    public const int Length = Outcomes + MaxRounds;

    public static long[] New() => new long[Length];

    public static void Add(long[] into, long[] from)
    {
        for (var i = 0; i < Length; i++) into[i] += from[i];
    }
}

/// <summary>A block's contract requests for the tick, ordered by provider then customer (phase 2 result).</summary>
public sealed class NegotiationBatch(ContractRequest[] requests, long[] stats) : IWireMessage<NegotiationBatch>
{
    public ContractRequest[] Requests { get; } = requests;
    public long[] Stats { get; } = stats;

    public void Write(BinaryWriter w)
    {
        Codec.WriteArray(w, Requests);
        Codec.WriteArray(w, Stats);
    }

    public static NegotiationBatch Read(BinaryReader r) => new(Codec.ReadArray<ContractRequest>(r), Codec.ReadArray<long>(r));

    /// <summary>Consecutive blocks' batches as one: the requests in block order (so each provider's stay in customer
    /// order), the counts summed.</summary>
    public static NegotiationBatch Concat(IReadOnlyList<NegotiationBatch> batches)
    {
        if (batches.Count == 1) return batches[0];
        var stats = NegotiationStats.New();
        foreach (var b in batches) NegotiationStats.Add(stats, b.Stats);
        var requests = new ContractRequest[batches.Sum(b => b.Requests.Length)];
        var at = 0;
        foreach (var b in batches)
        {
            b.Requests.CopyTo(requests, at);
            at += b.Requests.Length;
        }
        return new NegotiationBatch(requests, stats);
    }
}

/// <summary>Per provider and tier: demand under contracts and at spot (tokens per day); and the demand customers
/// would pass on to their next choice, by (class, first slot, next slot) key, class 1 for contract demand: the sums
/// and the number of customers, sorted by key (phase 3a result).</summary>
public sealed class DemandReport(long[] contract, long[] spot) : IWireMessage<DemandReport>
{
    public long[] Contract { get; } = contract;
    public long[] Spot { get; } = spot;
    public int[] SpillKeys { get; private set; } = [];
    public long[] SpillDemand { get; private set; } = [];
    public long[] SpillCustomers { get; private set; } = [];

    public static DemandReport Empty(int providers) => new(new long[providers * Tiers.Count], new long[providers * Tiers.Count]);

    public void SetSpill(int[] keys, long[] demand, long[] customers)
    {
        SpillKeys = keys;
        SpillDemand = demand;
        SpillCustomers = customers;
    }

    public void Write(BinaryWriter w)
    {
        Codec.WriteArray(w, Contract);
        Codec.WriteArray(w, Spot);
        Codec.WriteArray(w, SpillKeys);
        Codec.WriteArray(w, SpillDemand);
        Codec.WriteArray(w, SpillCustomers);
    }

    /// <summary>Several blocks' reports as one: contract and spot demand summed; the demand passed on kept entry by entry
    /// (concatenated), because rationing rounds each entry down on its own (<see cref="MarketKernel.ComputeFills"/>), so
    /// the fills computed from the merged reports are those computed from the blocks' reports.</summary>
    public static DemandReport Merge(IReadOnlyList<DemandReport> reports)
    {
        if (reports.Count == 1) return reports[0];
        var merged = new DemandReport(SumOf(reports, r => r.Contract), SumOf(reports, r => r.Spot));
        merged.SetSpill([.. reports.SelectMany(r => r.SpillKeys)], [.. reports.SelectMany(r => r.SpillDemand)],
            [.. reports.SelectMany(r => r.SpillCustomers)]);
        return merged;
    }

    internal static long[] SumOf<T>(IReadOnlyList<T> reports, Func<T, long[]> field)
    {
        var sum = new long[reports.Count == 0 ? 0 : field(reports[0]).Length];
        foreach (var r in reports)
        {
            var values = field(r);
            for (var i = 0; i < sum.Length; i++) sum[i] += values[i];
        }
        return sum;
    }

    public static DemandReport Read(BinaryReader r)
    {
        var report = new DemandReport(Codec.ReadArray<long>(r), Codec.ReadArray<long>(r));
        report.SetSpill(Codec.ReadArray<int>(r), Codec.ReadArray<long>(r), Codec.ReadArray<long>(r));
        return report;
    }
}

/// <summary>Share of demand each provider and tier serves: served = floor(demand * num / den); for demand passed on
/// from customers' first choices, floor(unmet * spillNum / spillDen).</summary>
public sealed class Fills(long[] contractNum, long[] contractDen, long[] spotNum, long[] spotDen, long[] spillNum, long[] spillDen) : IWireMessage<Fills>
{
    public long[] ContractNum { get; } = contractNum;
    public long[] ContractDen { get; } = contractDen;
    public long[] SpotNum { get; } = spotNum;
    public long[] SpotDen { get; } = spotDen;
    public long[] SpillNum { get; } = spillNum;
    public long[] SpillDen { get; } = spillDen;

    public void Write(BinaryWriter w)
    {
        Codec.WriteArray(w, ContractNum);
        Codec.WriteArray(w, ContractDen);
        Codec.WriteArray(w, SpotNum);
        Codec.WriteArray(w, SpotDen);
        Codec.WriteArray(w, SpillNum);
        Codec.WriteArray(w, SpillDen);
    }

    public static Fills Read(BinaryReader r) =>
        new(Codec.ReadArray<long>(r), Codec.ReadArray<long>(r), Codec.ReadArray<long>(r), Codec.ReadArray<long>(r),
            Codec.ReadArray<long>(r), Codec.ReadArray<long>(r));
}

/// <summary>Per-segment figures of a tick (integers so that sums are exact in any order).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct SegmentTick
{
    public long ActiveCustomers;
    public long Arrivals;
    public long DemandTokens;
    public long ServedTokens;
    public long SpendMicros;
    public long SurplusMicros;
    public long Switches;
    public long UnderContract;
    /// <summary>Of the served tokens, those a customer's next choice served because its provider was full.</summary>
    public long SecondChoiceTokens;

    public void Add(in SegmentTick o)
    {
        ActiveCustomers += o.ActiveCustomers;
        Arrivals += o.Arrivals;
        DemandTokens += o.DemandTokens;
        ServedTokens += o.ServedTokens;
        SpendMicros += o.SpendMicros;
        SurplusMicros += o.SurplusMicros;
        Switches += o.Switches;
        UnderContract += o.UnderContract;
        SecondChoiceTokens += o.SecondChoiceTokens;
    }
}

/// <summary>What a block consumed and paid, per provider and tier, and its segment figures (phase 3b result).</summary>
public sealed class UsageReport(long[] served, long[] paid, long[] demand, SegmentTick[] segments) : IWireMessage<UsageReport>
{
    public long[] Served { get; } = served;
    public long[] Paid { get; } = paid;
    public long[] Demand { get; } = demand;
    public SegmentTick[] Segments { get; } = segments;

    public void Write(BinaryWriter w)
    {
        Codec.WriteArray(w, Served);
        Codec.WriteArray(w, Paid);
        Codec.WriteArray(w, Demand);
        Codec.WriteArray(w, Segments);
    }

    /// <summary>Several blocks' usage as one: every figure summed (integers, so exact in any order).</summary>
    public static UsageReport Merge(IReadOnlyList<UsageReport> reports)
    {
        if (reports.Count == 1) return reports[0];
        var segments = new SegmentTick[reports[0].Segments.Length];
        foreach (var r in reports)
            for (var s = 0; s < segments.Length; s++) segments[s].Add(r.Segments[s]);
        return new UsageReport(DemandReport.SumOf(reports, r => r.Served), DemandReport.SumOf(reports, r => r.Paid),
            DemandReport.SumOf(reports, r => r.Demand), segments);
    }

    public static UsageReport Read(BinaryReader r) =>
        new(Codec.ReadArray<long>(r), Codec.ReadArray<long>(r), Codec.ReadArray<long>(r), Codec.ReadArray<SegmentTick>(r));
}

/// <summary>What one provider served and was paid this tick, per tier, summed over blocks (phase 4 input).</summary>
public sealed class ProviderUsage(long[] served, long[] paid, long[] demand) : IWireMessage<ProviderUsage>
{
    public long[] Served { get; } = served;
    public long[] Paid { get; } = paid;
    public long[] Demand { get; } = demand;

    public void Write(BinaryWriter w)
    {
        Codec.WriteArray(w, Served);
        Codec.WriteArray(w, Paid);
        Codec.WriteArray(w, Demand);
    }

    public static ProviderUsage Read(BinaryReader r) => new(Codec.ReadArray<long>(r), Codec.ReadArray<long>(r), Codec.ReadArray<long>(r));
}

/// <summary>A provider's settled tick, per tier and in total (phase 4 result).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ProviderTick
{
    public bool Active;
    public bool Entered;
    public bool Exited;
    public long RevenueMicros;
    public long CostMicros;
    public long ProfitMicros;
    public long CashMicros;
    public long ServedTokens;
    public long CapacityTokens;
    public double Utilisation;
    public int Gpus;
    public int FundingRoundsRaised;
    /// <summary>Of <see cref="Gpus"/>, those rented on demand.</summary>
    public int RentedGpus;
    /// <summary>calvano strategy: ticks since its learner's greedy action last changed in any state (converged at
    /// 100,000, <see cref="Economics.CalvanoMarket.ConvergenceWindow"/>); -1 for other strategies.</summary>
    public long LearnerStableTicks;
}

[StructLayout(LayoutKind.Sequential)]
public struct ProviderTierTick
{
    public bool Offered;
    public long ListPrice;
    public double UnitCost;
    public long ServedTokens;
    public long RevenueMicros;
    public long CapacityTokens;
    public long DemandTokens;
    public double Quality;
    /// <summary>Learning strategies (adaptive, calvano): the exploration rate of the tick, 0..1; NaN otherwise.</summary>
    public double LearnerExploration;
    /// <summary>Learning strategies: the price of the learner's greedy action in the state it priced in, US$ per
    /// million tokens (the price it would charge without exploring); NaN otherwise.</summary>
    public double LearnerGreedyPrice;
    /// <summary>Learning strategies: the relative spread of the Q-values over the actions of that state, (highest -
    /// lowest) / the largest magnitude (<see cref="Economics.QLearner.RelativeSpread"/>); NaN otherwise.</summary>
    public double LearnerQSpread;
}

public sealed class ProviderReport(ProviderTick total, ProviderTierTick[] tiers) : IWireMessage<ProviderReport>
{
    public ProviderTick Total { get; } = total;
    public ProviderTierTick[] Tiers { get; } = tiers;

    public void Write(BinaryWriter w)
    {
        Codec.WriteArray(w, new[] { Total });
        Codec.WriteArray(w, Tiers);
    }

    public static ProviderReport Read(BinaryReader r) => new(Codec.ReadArray<ProviderTick>(r)[0], Codec.ReadArray<ProviderTierTick>(r));
}
