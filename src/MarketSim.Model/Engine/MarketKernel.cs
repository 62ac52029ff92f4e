namespace MarketSim.Model.Engine;

/// <summary>
/// The rules of delivery between agents within a tick, as pure functions: how requests reach providers, how
/// capacity is rationed, how usage is summed, what the market observes. The reference engine and the Orleans
/// run coordinator both call these, so that they differ only in where the agents live.
/// All sums are of integers, so they are exact in any order.
/// </summary>
public static class MarketKernel
{
    /// <summary>The requests addressed to one provider, across blocks in block order (so in customer order).</summary>
    public static ContractRequest[] RequestsFor(int provider, IReadOnlyList<NegotiationBatch> batches)
    {
        var list = new List<ContractRequest>();
        foreach (var b in batches)
            foreach (var r in b.Requests)
                if (r.Provider == provider) list.Add(r);
        return [.. list];
    }

    /// <summary>Routes each provider's decisions back to the blocks: one flag per request of each block's batch.</summary>
    public static bool[][] RouteDecisions(IReadOnlyList<NegotiationBatch> batches, IReadOnlyList<bool[]> decisionsByProvider)
    {
        var cursor = new int[decisionsByProvider.Count];
        var result = new bool[batches.Count][];
        for (var b = 0; b < batches.Count; b++)
        {
            var requests = batches[b].Requests;
            result[b] = new bool[requests.Length];
            for (var i = 0; i < requests.Length; i++)
            {
                var p = requests[i].Provider;
                result[b][i] = decisionsByProvider[p][cursor[p]++];
            }
        }
        return result;
    }

    /// <summary>Negotiation counts of the tick: the blocks' bargaining outcomes plus capacity rejections.</summary>
    public static long[] NegotiationTotals(IReadOnlyList<NegotiationBatch> batches, IReadOnlyList<bool[]> decisionsByProvider)
    {
        var totals = NegotiationStats.New();
        foreach (var b in batches) NegotiationStats.Add(totals, b.Stats);
        foreach (var d in decisionsByProvider)
            foreach (var accepted in d)
                if (!accepted) totals[(int)Economics.NegotiationOutcome.RejectedCapacity]++;
        return totals;
    }

    /// <summary>Capacity rationing per provider and tier: contracts are served first, spot demand shares what is
    /// left pro rata, and demand that customers pass on from a full first choice shares what is then left at their
    /// next choice. A customer is served floor(demand * num / den) at its provider and floor(unmet * num / den) at
    /// its next choice. The demand passed on is bounded from above from the blocks' sums (each customer's unmet
    /// demand is below its share of the unmet sum plus one token), so no more than capacity is ever served.</summary>
    public static Fills ComputeFills(QuoteBoard board, IReadOnlyList<DemandReport> demands)
    {
        var slots = board.Tiers.Length;
        var cn = new long[slots]; var cd = new long[slots]; var sn = new long[slots]; var sd = new long[slots];
        var left = new long[slots];
        for (var s = 0; s < slots; s++)
        {
            long contract = 0, spot = 0;
            foreach (var d in demands) { contract += d.Contract[s]; spot += d.Spot[s]; }
            var capacity = board.Tiers[s].Offered ? board.Tiers[s].Capacity : 0;
            if (contract <= capacity)
            {
                cn[s] = cd[s] = 1;
                var free = capacity - contract;
                if (spot <= free) { sn[s] = sd[s] = 1; left[s] = free - spot; }
                else { sn[s] = free; sd[s] = spot; }
            }
            else
            {
                cn[s] = capacity; cd[s] = contract;
                sn[s] = 0; sd[s] = 1;
            }
        }
        // Upper bound of the unmet demand arriving at each next choice.
        var arriving = new long[slots];
        foreach (var d in demands)
            for (var j = 0; j < d.SpillKeys.Length; j++)
            {
                var key = d.SpillKeys[j];
                var contract = key >= slots * slots;
                var from = key / slots % slots;
                var to = key % slots;
                var num = contract ? cn[from] : sn[from];
                var den = contract ? cd[from] : sd[from];
                if (num == den) continue;
                arriving[to] += d.SpillDemand[j] - Economics.Money.Scale(d.SpillDemand[j], num, den) + d.SpillCustomers[j];
            }
        var pn = new long[slots]; var pd = new long[slots];
        for (var s = 0; s < slots; s++)
        {
            if (arriving[s] <= left[s]) { pn[s] = pd[s] = 1; }
            else { pn[s] = left[s]; pd[s] = arriving[s]; }
        }
        return new Fills(cn, cd, sn, sd, pn, pd);
    }

    /// <summary>What each provider served and was paid, summed over blocks.</summary>
    public static ProviderUsage[] UsageByProvider(int providers, IReadOnlyList<UsageReport> usage)
    {
        var result = new ProviderUsage[providers];
        for (var p = 0; p < providers; p++)
        {
            var served = new long[Tiers.Count]; var paid = new long[Tiers.Count]; var demand = new long[Tiers.Count];
            foreach (var u in usage)
                for (var t = 0; t < Tiers.Count; t++)
                {
                    var s = p * Tiers.Count + t;
                    served[t] += u.Served[s]; paid[t] += u.Paid[s]; demand[t] += u.Demand[s];
                }
            result[p] = new ProviderUsage(served, paid, demand);
        }
        return result;
    }

    public static TickObservation Observe(MarketSetup setup, int tick, IReadOnlyList<ProviderReport> reports,
        IReadOnlyList<UsageReport> usage, long[] negotiations)
    {
        var segments = new SegmentTick[Segments.Count];
        long paid = 0;
        foreach (var u in usage)
        {
            for (var s = 0; s < segments.Length; s++) segments[s].Add(u.Segments[s]);
            foreach (var x in u.Paid) paid += x;
        }
        var index = new double[Tiers.Count];
        for (var t = 0; t < Tiers.Count; t++)
        {
            long tokens = 0, money = 0;
            foreach (var r in reports) { tokens += r.Tiers[t].ServedTokens; money += r.Tiers[t].RevenueMicros; }
            index[t] = tokens == 0 ? double.NaN : money / (double)tokens;   // µ$ per token = US$ per million tokens
        }
        var levels = setup.CapabilityLevels;
        var listed = new double[levels.Length];
        var bought = new double[levels.Length];
        for (var l = 0; l < levels.Length; l++) (listed[l], bought[l]) = CapabilityPrice(reports, levels[l].Quality);
        return new TickObservation
        {
            Tick = tick,
            Date = setup.DateOf(tick),
            PriceIndex = index,
            CapabilityListed = listed,
            CapabilityBought = bought,
            Providers = [.. reports],
            Segments = segments,
            Negotiations = negotiations,
            CustomersPaidMicros = paid,
            ProvidersReceivedMicros = reports.Sum(r => r.Total.RevenueMicros),
        };
    }

    /// <summary>The price of a fixed capability at a tick: the lowest list price of an offered model of at least that
    /// quality, and the lowest average price paid for such a model that sold (US$ per million tokens; NaN when there
    /// is none).</summary>
    public static (double Listed, double Bought) CapabilityPrice(IReadOnlyList<ProviderReport> reports, double quality)
    {
        var listed = double.NaN;
        var bought = double.NaN;
        foreach (var r in reports)
            foreach (var t in r.Tiers)
            {
                if (!t.Offered || t.Quality < quality) continue;
                var price = t.ListPrice / 1e6;
                if (!(listed <= price)) listed = price;
                if (t.ServedTokens == 0) continue;
                var paid = t.RevenueMicros / (double)t.ServedTokens;
                if (!(bought <= paid)) bought = paid;
            }
        return (listed, bought);
    }

    /// <summary>The view providers get of the market at the end of a tick.</summary>
    public static MarketView ViewOf(TickObservation o)
    {
        var n = o.Providers.Length;
        var active = new bool[n];
        var prices = new long[n * Tiers.Count];
        var quality = new double[n * Tiers.Count];
        var served = new long[n * Tiers.Count];
        var revenue = new long[n * Tiers.Count];
        for (var p = 0; p < n; p++)
        {
            active[p] = o.Providers[p].Total.Active;
            for (var t = 0; t < Tiers.Count; t++)
            {
                var tier = o.Providers[p].Tiers[t];
                var slot = p * Tiers.Count + t;
                served[slot] = tier.ServedTokens;
                revenue[slot] = tier.RevenueMicros;
                if (!active[p] || !tier.Offered) continue;
                prices[slot] = tier.ListPrice;
                quality[slot] = tier.Quality;
            }
        }
        return new MarketView(o.Tick, active, prices, o.PriceIndex, quality, served, revenue);
    }

    /// <summary>The view before the first tick: list prices as the scenario states them, no sales yet.</summary>
    public static MarketView InitialView(MarketSetup setup)
    {
        var n = setup.ProviderCount;
        var active = new bool[n];
        var prices = new long[n * Tiers.Count];
        var quality = new double[n * Tiers.Count];
        for (var p = 0; p < n; p++)
        {
            active[p] = setup.EntryTick[p] == 0;
            foreach (var m in setup.Providers[p].Models)
            {
                var slot = p * Tiers.Count + Tiers.IndexOf(m.Tier);
                if (m.ListPrice is { } lp) prices[slot] = Economics.Money.FromDollars(lp);
                if (active[p]) quality[slot] = m.Quality;
            }
        }
        var nan = new[] { double.NaN, double.NaN, double.NaN };
        return new MarketView(-1, active, prices, nan, quality, new long[n * Tiers.Count], new long[n * Tiers.Count]);
    }
}
