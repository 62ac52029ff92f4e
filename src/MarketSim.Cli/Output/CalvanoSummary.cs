using MarketSim.Model.Economics;
using MarketSim.Model.Engine;

namespace MarketSim.Cli.Output;

/// <summary>
/// The measures of Calvano et al. (2020) for a run whose providers price with the calvano strategy (docs/MODEL.md
/// 9.7), over the last part of the run (the last <see cref="CalvanoMarket.ConvergenceWindow"/> ticks, or the last half
/// of a shorter run): each learner's mean price and mean profit in the paper's units, its profit gain
/// <c>Delta = (profit - Nash profit) / (monopoly profit - Nash profit)</c>, and whether it converged (its greedy
/// strategy unchanged for 100,000 ticks at the end of the run).
/// </summary>
public sealed class CalvanoSummary
{
    private readonly MarketSetup _setup;
    private readonly int _windowStart;
    private readonly Learner[] _learners;

    private CalvanoSummary(MarketSetup setup, int[] providers)
    {
        _setup = setup;
        _windowStart = setup.Ticks - WindowOf(setup.Ticks);
        _learners = [.. providers.Select(p => new Learner(p, Tiers.IndexOf(setup.ModelsOf(p)[0].Tier)))];
    }

    /// <summary>The summary of a run with calvano providers, or null when it has none.</summary>
    public static CalvanoSummary? For(MarketSetup setup)
    {
        var providers = Enumerable.Range(0, setup.ProviderCount).Where(p => setup.Providers[p].Strategy == PricingStrategies.Calvano).ToArray();
        return providers.Length == 0 ? null : new CalvanoSummary(setup, providers);
    }

    /// <summary>Ticks at the end of a run the measures average over: 100,000, or half of a shorter run.</summary>
    public static int WindowOf(int ticks) => Math.Max(1, Math.Min(CalvanoMarket.ConvergenceWindow, ticks / 2));

    public int WindowTicks => _setup.Ticks - _windowStart;

    public IReadOnlyList<Learner> Learners => _learners;

    /// <summary>Mean profit gain of the learners; null before the window.</summary>
    public double? ProfitGain => _learners.All(l => l.ProfitGain is not null) ? _learners.Average(l => l.ProfitGain!.Value) : null;

    /// <summary>Mean price of the learners over the window, US$ per million tokens.</summary>
    public double? MeanPrice => _learners.All(l => l.MeanPrice is not null) ? _learners.Average(l => l.MeanPrice!.Value) : null;

    /// <summary>Whether every learner converged.</summary>
    public bool Converged => _learners.All(l => l.Converged);

    public void Add(TickObservation o)
    {
        foreach (var l in _learners)
        {
            var tick = o.Providers[l.Provider];
            l.StableTicks = tick.Total.LearnerStableTicks;
            if (o.Tick < _windowStart) continue;
            var tier = tick.Tiers[l.Tier];
            if (!tier.Offered || !(tier.UnitCost > 0)) continue;
            if (l.Market is null || l.Market.UnitCost != tier.UnitCost)
                l.Market = _setup.CalvanoMarketOf(l.Provider, l.Tier, tier.UnitCost, _setup.Providers[l.Provider].Pricing.Learner.GridSize);
            l.Add(tier.ListPrice / 1e6, _setup.CalvanoReward(tier.ListPrice, tier.UnitCost, tier.DemandTokens));
        }
    }

    /// <summary>One learning provider's measures.</summary>
    public sealed class Learner(int provider, int tier)
    {
        public int Provider { get; } = provider;
        public int Tier { get; } = tier;
        internal CalvanoMarket? Market { get; set; }
        private double _price, _profit;
        private long _ticks;

        /// <summary>Ticks since its greedy strategy last changed, at the last tick.</summary>
        public long StableTicks { get; internal set; } = -1;
        public bool Converged => StableTicks >= CalvanoMarket.ConvergenceWindow;
        public double? MeanPrice => _ticks == 0 ? null : _price / _ticks;
        /// <summary>Mean profit per tick in the paper's units (market size 1, unit cost 1).</summary>
        public double? MeanProfit => _ticks == 0 ? null : _profit / _ticks;
        public double? ProfitGain => MeanProfit is { } p && Market is { } m ? m.ProfitGain(p) : null;
        /// <summary>Its one-shot Nash and joint-monopoly prices, US$ per million tokens.</summary>
        public double? NashPrice => Market is { } m ? m.NashPrice * m.UnitCost : null;
        public double? MonopolyPrice => Market is { } m ? m.MonopolyPrice * m.UnitCost : null;

        internal void Add(double price, double profit)
        {
            _price += price;
            _profit += profit;
            _ticks++;
        }
    }
}
