namespace MarketSim.Model.Scenarios;

// The scenario as written in YAML (camelCase keys). Defaults here are the documented defaults of docs/MODEL.md;
// the JSON Schema in config/schema/scenario.schema.json mirrors these classes and is the source of validation.

/// <summary>A complete market scenario: calendar, hardware, providers, customers and scheduled events.</summary>
public sealed class Scenario
{
    /// <summary>Short name of the scenario, used in reports and run folders.</summary>
    public string Name { get; set; } = "";
    /// <summary>Free text: what the scenario tests and where its figures come from.</summary>
    public string? Description { get; set; }
    /// <summary>Calendar date of tick 0.</summary>
    public DateOnly Start { get; set; } = new(2023, 3, 1);
    /// <summary>Horizon in ticks: at most what ends by 9999-12-31 and fits the run budget (<see cref="RunBudget"/>).</summary>
    public int Ticks { get; set; } = 365;
    /// <summary>Simulated days per tick.</summary>
    public int TickDays { get; set; } = 1;
    /// <summary>Root seed; every random stream derives from it.</summary>
    public ulong Seed { get; set; } = 1;
    /// <summary>Market-wide settings: electricity, token blend, negotiation.</summary>
    public MarketSettings Market { get; set; } = new();
    /// <summary>GPU types added to (or replacing by id) the built-in catalogue.</summary>
    public List<GpuSpec> Gpus { get; set; } = [];
    /// <summary>The providers present in the market (1 to 64); more may enter through provider-entry events.</summary>
    public List<ProviderSpec> Providers { get; set; } = [];
    /// <summary>The customer population and its segments.</summary>
    public CustomerSettings Customers { get; set; } = new();
    /// <summary>Scheduled events (shocks, entries, exits, price cuts...), each at a date or a tick.</summary>
    public List<EventSpec> Events { get; set; } = [];
    /// <summary>Engine settings that do not change results.</summary>
    public EngineSettings Engine { get; set; } = new();
    /// <summary>Switches that turn off one cause of price change each (docs/MODEL.md section 16); absent means
    /// every cause acts (all live).</summary>
    public LeverSettings? Levers { get; set; }
}

/// <summary>The causes of price change a scenario can switch off, each at the mechanism where it acts
/// (docs/MODEL.md section 16). The defaults leave the market as written.</summary>
public sealed class LeverSettings
{
    public const string Live = "live";
    public const string Frozen = "frozen";
    public const string On = "on";
    public const string Off = "off";

    /// <summary>The lever names, in the order explain lists them.</summary>
    public static readonly string[] Names = ["hardware", "technique", "competition", "scale", "entry", "releases"];

    /// <summary>live | frozen: frozen rents every GPU at its day-0 price and brings no new GPU generation.</summary>
    public string Hardware { get; set; } = Live;
    /// <summary>live | frozen: frozen keeps compression R, eta and model efficiency at day 0 (no compression
    /// events, releases serve with the day-0 figures of their tier).</summary>
    public string Technique { get; set; } = Live;
    /// <summary>on | off: off prices every model by cost-plus at its provider's markup (as a provider with no rival
    /// does), with no price cuts and no strategy changes.</summary>
    public string Competition { get; set; } = On;
    /// <summary>live | frozen: frozen charges overheads (training amortisation, fixed costs) per token at the
    /// provider's first-day volume.</summary>
    public string Scale { get; set; } = Live;
    /// <summary>on | off: off, no provider enters after day 0 (neither a <c>provider-entry</c> event's entrant nor a
    /// provider with a later <c>enters</c> date): the market keeps its day-0 sellers.</summary>
    public string Entry { get; set; } = On;
    /// <summary>on | off: off, no <c>model-release</c> or <c>model-retirement</c> event is applied: every provider
    /// sells the line-up it starts (or enters) with.</summary>
    public string Releases { get; set; } = On;

    /// <summary>The value of a lever that switches its cause off: off for competition, entry and releases, else frozen.</summary>
    public static string OffValue(string lever) => lever is "competition" or "entry" or "releases" ? Off : Frozen;

    /// <summary>Sets one lever by name to its off value (<paramref name="off"/>) or its default.</summary>
    public void Set(string lever, bool off)
    {
        switch (lever)
        {
            case "hardware": Hardware = off ? Frozen : Live; break;
            case "technique": Technique = off ? Frozen : Live; break;
            case "competition": Competition = off ? Off : On; break;
            case "scale": Scale = off ? Frozen : Live; break;
            case "entry": Entry = off ? Off : On; break;
            case "releases": Releases = off ? Off : On; break;
            default: throw new ArgumentException($"unknown lever '{lever}' (the levers: {string.Join(", ", Names)})", nameof(lever));
        }
    }
}

public sealed class MarketSettings
{
    /// <summary>Electricity price Ce, US$ per kWh (EIA US industrial average).</summary>
    public double ElectricityPricePerKwh { get; set; } = 0.08;
    /// <summary>Input tokens per output token in the blended price (3:1 is the common blend).</summary>
    public double InputOutputBlend { get; set; } = 3;
    /// <summary>Maximum offers and counter-offers in one negotiation.</summary>
    public int NegotiationRounds { get; set; } = 4;
    /// <summary>How many providers a customer asks for quotes (its consideration set).</summary>
    public int ConsiderationSetSize { get; set; } = 3;
    /// <summary>Days between the periodic re-evaluations of a spot customer.</summary>
    public int SpotReviewDays { get; set; } = 14;
    /// <summary>Share of the GPUs' benchmark throughput a production service realises (latency targets limit batch
    /// sizes; load varies over the day).</summary>
    public double ThroughputRealisation { get; set; } = 0.3;
    /// <summary>A customer served less than <see cref="RationedReviewFill"/> of its demand by its provider shops again
    /// this many days later instead of at its periodic review.</summary>
    public int RationedReviewDays { get; set; } = 3;
    /// <summary>Share of its demand below which a customer counts as turned away and shops again early.</summary>
    public double RationedReviewFill { get; set; } = 0.9;
    /// <summary>Fixed capability levels whose cheapest price the market reports each tick; empty means the best
    /// quality of each tier at tick 0.</summary>
    public List<CapabilityLevel> CapabilityLevels { get; set; } = [];
}

public sealed class CapabilityLevel
{
    /// <summary>Short label used in file columns and metric labels, e.g. gpt-4-class.</summary>
    public string Label { get; set; } = "";
    /// <summary>Least quality (0..1) that counts as this capability.</summary>
    public double Quality { get; set; }
}

public sealed class GpuSpec
{
    /// <summary>GPU type id, e.g. H100; an id of the built-in catalogue replaces that entry.</summary>
    public string Id { get; set; } = "";
    /// <summary>Launch date: the type cannot be bought before it.</summary>
    public DateOnly Launch { get; set; }
    /// <summary>Memory per GPU, GB.</summary>
    public double MemoryGb { get; set; }
    /// <summary>Power draw per GPU at full load, watts.</summary>
    public double PowerWatts { get; set; }
    /// <summary>Ideal per-GPU output tokens per second for the reference model (70B parameters, FP8, R = 2).</summary>
    public double TokensPerSecond { get; set; }
    /// <summary>How the rental price per GPU-hour evolves over time.</summary>
    public CostCurveSpec Curve { get; set; } = new();
}

public sealed class CostCurveSpec
{
    /// <summary>exponential | wright | table</summary>
    public string Kind { get; set; } = "exponential";
    /// <summary>Rental price per GPU-hour at launch (exponential, wright).</summary>
    public double StartPricePerHour { get; set; }
    /// <summary>Years for the price to halve (exponential).</summary>
    public double HalfLifeYears { get; set; } = 2.07;
    /// <summary>Price never falls below this (all kinds).</summary>
    public double FloorPricePerHour { get; set; }
    /// <summary>Fractional cost fall per doubling of cumulative volume (wright).</summary>
    public double LearningRate { get; set; } = 0.2;
    /// <summary>Cumulative-volume growth per year, as a multiple (wright): 2 means volume doubles every year.</summary>
    public double VolumeGrowthPerYear { get; set; } = 2;
    /// <summary>Dated prices, linearly interpolated, flat outside (table).</summary>
    public List<PricePoint> Points { get; set; } = [];
}

public sealed class PricePoint
{
    /// <summary>Date of the price.</summary>
    public DateOnly Date { get; set; }
    /// <summary>Rental price per GPU-hour on that date, US$.</summary>
    public double Price { get; set; }
}

public sealed class ProviderSpec
{
    /// <summary>Unique provider id, e.g. lab-a; used by events and overrides.</summary>
    public string Id { get; set; } = "";
    /// <summary>Display name.</summary>
    public string? Name { get; set; }
    /// <summary>Free-text label of the kind of provider (frontier lab, cloud, low-cost entrant...).</summary>
    public string? Archetype { get; set; }
    /// <summary>cost-plus | match | undercut | penetration | value-based | adaptive</summary>
    public string Strategy { get; set; } = "cost-plus";
    /// <summary>Parameters of the pricing strategies.</summary>
    public PricingSpec Pricing { get; set; } = new();
    /// <summary>Reservation price = unit cost x minMargin.</summary>
    public double MinMargin { get; set; } = 1.05;
    /// <summary>Starting cash, US$.</summary>
    public double Cash { get; set; } = 1e9;
    /// <summary>If set, the provider enters the market on this date (inactive before).</summary>
    public DateOnly? Enters { get; set; }
    /// <summary>Offers private deployment / data residency.</summary>
    public bool Private { get; set; }
    /// <summary>Data-centre power usage effectiveness.</summary>
    public double Pue { get; set; } = 1.3;
    /// <summary>Share of the fleet that is reserved (paid whether used or idle); the rest is on demand.</summary>
    public double ReservedShare { get; set; } = 0.8;
    /// <summary>Fixed costs other than compute (staff, sales), US$ per day.</summary>
    public double FixedCostPerDay { get; set; }
    /// <summary>What customers value in the provider beyond price and benchmark quality (reliability, tooling,
    /// ecosystem, brand), in choice-utility units: its offers count e^appeal times better value for money.</summary>
    public double Appeal { get; set; }
    /// <summary>Share of a model's capacity the provider will commit to term contracts.</summary>
    public double ContractCommitLimit { get; set; } = 0.9;
    /// <summary>GPUs the provider has at start, by type; empty only if the provider enters later.</summary>
    public List<FleetEntry> Fleet { get; set; } = [];
    /// <summary>How the provider buys capacity.</summary>
    public ExpansionSpec Expansion { get; set; } = new();
    /// <summary>Funding rounds the provider can raise when cash runs low.</summary>
    public FundingSpec Funding { get; set; } = new();
    /// <summary>The models the provider serves (1 to 3, at most one per tier).</summary>
    public List<ModelSpec> Models { get; set; } = [];
}

public sealed class FleetEntry
{
    /// <summary>GPU type id: built-in, from the scenario's gpus, or from a gpu-generation event.</summary>
    public string Gpu { get; set; } = "";
    /// <summary>Number of GPUs.</summary>
    public int Count { get; set; }
}

public sealed class PricingSpec
{
    /// <summary>cost-plus: list price = unit cost x markup.</summary>
    public double Markup { get; set; } = 1.5;
    /// <summary>undercut: fraction below the lowest comparable price.</summary>
    public double Undercut { get; set; } = 0.05;
    /// <summary>match/undercut never price below unit cost x floorMargin.</summary>
    public double FloorMargin { get; set; } = 1.0;
    /// <summary>penetration: price as a multiple of unit cost during the penetration period.</summary>
    public double PenetrationFactor { get; set; } = 0.6;
    /// <summary>penetration: days of below-cost pricing before raising.</summary>
    public int PenetrationDays { get; set; } = 180;
    /// <summary>value-based: elasticity of price to the quality ratio against the tier's reference price.</summary>
    public double ValuePremium { get; set; } = 1.0;
    /// <summary>Exponent of the provider's concession curve in negotiation: above 1 concedes late (boulware).</summary>
    public double Concession { get; set; } = 1.0;
    /// <summary>Largest volume discount off list price for big term contracts.</summary>
    public double MaxVolumeDiscount { get; set; } = 0.15;
    /// <summary>Days a model's launch list price holds before the strategy sets the price.</summary>
    public int HoldDays { get; set; }
    /// <summary>adaptive: Q-learning over a price grid.</summary>
    public LearnerSpec Learner { get; set; } = new();
}

public sealed class LearnerSpec
{
    /// <summary>Number of prices in the grid.</summary>
    public int GridSize { get; set; } = 15;
    /// <summary>What the grid's multiples multiply (<see cref="LearnerAnchors"/>): the model's unit cost, or its
    /// launch list price.</summary>
    public string Anchor { get; set; } = LearnerAnchors.UnitCost;
    /// <summary>Lowest price of the grid as a multiple of the anchor.</summary>
    public double LowMultiple { get; set; } = 0.9;
    /// <summary>Highest price of the grid as a multiple of the anchor.</summary>
    public double HighMultiple { get; set; } = 4.0;
    /// <summary>Q-learning rate.</summary>
    public double LearningRate { get; set; } = 0.15;
    /// <summary>Discount factor of future profit.</summary>
    public double Discount { get; set; } = 0.95;
    /// <summary>Exploration probability is exp(-explorationDecay x tick).</summary>
    public double ExplorationDecay { get; set; } = 0.01;
}

public sealed class ExpansionSpec
{
    /// <summary>Days between ordering GPUs and serving with them.</summary>
    public int LeadTimeDays { get; set; } = 90;
    /// <summary>Utilisation above which the provider orders more capacity.</summary>
    public double TargetUtilisation { get; set; } = 0.7;
    /// <summary>Largest reserved order as a share of the current fleet; several orders may be in flight.</summary>
    public double MaxOrderShare { get; set; } = 1.0;
    /// <summary>Days between capacity reviews.</summary>
    public int ReviewDays { get; set; } = 30;
    /// <summary>Days between renting on-demand GPUs and serving with them.</summary>
    public int OnDemandLeadDays { get; set; } = 3;
    /// <summary>Rental price of an on-demand GPU as a multiple of the reserved (committed) price.</summary>
    public double OnDemandPremium { get; set; } = 1.5;
    /// <summary>Most on-demand GPUs held, as a multiple of the reserved fleet.</summary>
    public double MaxOnDemandShare { get; set; } = 1.0;
    /// <summary>Weight of the newest tick in the smoothed demand and utilisation the provider plans with.</summary>
    public double Smoothing { get; set; } = 0.2;
    /// <summary>Reserved GPUs are released when utilisation stays below this multiple of the target.</summary>
    public double ReleaseBelow { get; set; } = 0.4;
    /// <summary>Share of the costliest GPU type released at a review when utilisation is that low.</summary>
    public double ReleaseShare { get; set; } = 0.1;
    /// <summary>A newer GPU type replaces the costliest one in the fleet when its cost per token is below this
    /// multiple of it.</summary>
    public double MigrateBelow { get; set; } = 0.75;
    /// <summary>Least share of the fleet each offered model keeps, so that every model stays on the board.</summary>
    public double MinModelShare { get; set; } = 0.05;
}

public sealed class FundingSpec
{
    /// <summary>How many rounds the provider can raise.</summary>
    public int Rounds { get; set; }
    /// <summary>US$ raised per round.</summary>
    public double Amount { get; set; }
    /// <summary>A round is raised when cash falls below this, US$.</summary>
    public double WhenCashBelow { get; set; }
}

public sealed class ModelSpec
{
    /// <summary>Model id, unique within its provider.</summary>
    public string Id { get; set; } = "";
    /// <summary>frontier | mid | small</summary>
    public string Tier { get; set; } = "mid";
    /// <summary>Parameters, billions (before compression).</summary>
    public double ParametersB { get; set; } = 70;
    /// <summary>Quality score 0..1 as served (after compression).</summary>
    public double Quality { get; set; } = 0.8;
    /// <summary>Compression of the served model.</summary>
    public CompressionSpec Compression { get; set; } = new();
    /// <summary>How a replica is spread over GPUs.</summary>
    public ParallelismSpec Parallelism { get; set; } = new();
    /// <summary>Training cost, US$, amortised linearly over amortisationMonths.</summary>
    public double TrainingCost { get; set; }
    /// <summary>Months over which the training cost is amortised.</summary>
    public double AmortisationMonths { get; set; } = 24;
    /// <summary>Blended list price at start, US$ per million tokens; if absent the strategy sets it from unit cost.</summary>
    public double? ListPrice { get; set; }
    /// <summary>Serving-software throughput multiplier (batching, kernels, speculative decoding): 2 serves twice the
    /// tokens per GPU.</summary>
    public double Efficiency { get; set; } = 1;
    /// <summary>a_i in the utility <c>a_i - p_i</c> of a logit segment's customers (Calvano et al. 2020 use 2).</summary>
    public double LogitQuality { get; set; } = 2;
}

public sealed class CompressionSpec
{
    /// <summary>R = V_original / V_compressed (2 = FP16 to FP8).</summary>
    public double Ratio { get; set; } = 2;
    /// <summary>Quality lost per halving of the model's size by compression.</summary>
    public double QualityLossPerHalving { get; set; } = 0.015;
}

public sealed class ParallelismSpec
{
    /// <summary>GPUs per replica (N).</summary>
    public int Gpus { get; set; } = 1;
    /// <summary>eta = T_single / T_distributed for N GPUs; eta / N is the per-GPU efficiency.</summary>
    public double Eta { get; set; } = 1;
}

public sealed class CustomerSettings
{
    /// <summary>Number of customers (1 to 2,000,000).</summary>
    public int Count { get; set; } = 1000;
    /// <summary>Customer segments by name (voice, nlp, healthcare, longtail); their shares sum to 1.</summary>
    public Dictionary<string, SegmentSpec> Segments { get; set; } = [];
}

public sealed class SegmentSpec
{
    /// <summary>Share of the customers in this segment (0..1).</summary>
    public double Share { get; set; }
    /// <summary>constant-elasticity (negotiation, contracts, value-for-money logit) | logit (aggregate logit demand
    /// with an outside good, <see cref="Economics.Logit.Shares"/>).</summary>
    public string Kind { get; set; } = SegmentKinds.ConstantElasticity;
    /// <summary>logit: horizontal differentiation mu (scale of the taste shocks), US$ per million tokens.</summary>
    public double Mu { get; set; } = 0.25;
    /// <summary>logit: a_0, the utility of the outside good.</summary>
    public double OutsideUtility { get; set; }
    /// <summary>Median daily demand once adopted, million tokens per day at the reference price.</summary>
    public double DailyTokensMillions { get; set; } = 1;
    /// <summary>Log-normal spread (sigma) of daily demand across customers.</summary>
    public double DemandSpread { get; set; } = 1.0;
    /// <summary>Log-normal spread (sigma) of budgets across customers.</summary>
    public double BudgetSpread { get; set; } = 0.5;
    /// <summary>Log-normal spread (sigma) of willingness to pay across customers.</summary>
    public double WillingnessSpread { get; set; } = 0.25;
    /// <summary>Log-normal spread (sigma) of switching costs across customers.</summary>
    public double SwitchingSpread { get; set; } = 0.5;
    /// <summary>Normal spread (sd) of the least quality accepted across customers.</summary>
    public double MinQualitySpread { get; set; } = 0.05;
    /// <summary>Scale mu of the customers' taste shocks (Gumbel) on the log value-for-money of an offer: the
    /// larger, the more customers differ in which provider they prefer and the less shares move with price.</summary>
    public double TasteSpread { get; set; } = 0.3;
    /// <summary>Weight of log price in the choice utility (alpha); 1 means customers compare value per dollar.</summary>
    public double PriceWeight { get; set; } = 1.0;
    /// <summary>Price elasticity of demand (constant-elasticity curve).</summary>
    public double Elasticity { get; set; } = 1.2;
    /// <summary>Price at which demand equals its base, US$ per million tokens.</summary>
    public double ReferencePrice { get; set; } = 10;
    /// <summary>Most demand can grow over its base when prices fall (saturation).</summary>
    public double MaxDemandMultiple { get; set; } = 20;
    /// <summary>Least quality accepted (0..1).</summary>
    public double MinQuality { get; set; } = 0.5;
    /// <summary>Value of a million tokens at quality 1, US$ (willingness to pay).</summary>
    public double WillingnessToPay { get; set; } = 20;
    /// <summary>Exponent of quality in the value of tokens.</summary>
    public double QualityWeight { get; set; } = 2;
    /// <summary>Median budget, US$ per day.</summary>
    public double BudgetPerDay { get; set; } = 1000;
    /// <summary>One-off cost of changing provider, US$.</summary>
    public double SwitchingCost { get; set; } = 500;
    /// <summary>Loyalty: the incumbent's value for money counts this fraction higher.</summary>
    public double Inertia { get; set; } = 0.1;
    /// <summary>Share of customers preferring term contracts over spot.</summary>
    public double TermShare { get; set; } = 0.5;
    /// <summary>Length of a term contract, days.</summary>
    public int TermDays { get; set; } = 180;
    /// <summary>Share of customers requiring private deployment.</summary>
    public double PrivacyShare { get; set; }
    /// <summary>Customer's opening counter-offer as a fraction below its ceiling.</summary>
    public double Ask { get; set; } = 0.3;
    /// <summary>Exponent of the customer's concession curve.</summary>
    public double Concession { get; set; } = 1.0;
    /// <summary>Adoption: share of the segment's customers present at tick 0.</summary>
    public double InitialAdoption { get; set; } = 0.3;
    /// <summary>Adoption: day at which half of the segment has arrived (logistic).</summary>
    public double AdoptionMidpointDays { get; set; } = 365;
    /// <summary>Adoption: logistic steepness per day.</summary>
    public double AdoptionSteepness { get; set; } = 0.01;
}

public sealed class EventSpec
{
    /// <summary>Optional id, unique among events (kebab-case); overrides and extends address the event by it.</summary>
    public string? Id { get; set; }
    /// <summary>Date the event takes effect (or use tick).</summary>
    public DateOnly? At { get; set; }
    /// <summary>Tick at which the event takes effect (or use at).</summary>
    public int? Tick { get; set; }
    /// <summary>An event kind of <see cref="EventKinds"/>: gpu-price-shock | gpu-generation | compression-breakthrough |
    /// provider-entry | provider-exit | price-cut | strategy-change | demand-shock | model-release | model-retirement</summary>
    public string Kind { get; set; } = "";
    /// <summary>Id of the provider concerned.</summary>
    public string? Provider { get; set; }
    /// <summary>Id of the model concerned (of provider, if given); absent means all models.</summary>
    public string? Model { get; set; }
    /// <summary>Id of the GPU type concerned.</summary>
    public string? Gpu { get; set; }
    /// <summary>Customer segment concerned (demand-shock); absent means all segments.</summary>
    public string? Segment { get; set; }
    /// <summary>Multiplier (price shock, demand shock, compression ratio gain).</summary>
    public double? Factor { get; set; }
    /// <summary>Fraction (price cut; quality loss for a compression breakthrough).</summary>
    public double? Fraction { get; set; }
    /// <summary>Duration in days; absent means for the rest of the run.</summary>
    public int? Days { get; set; }
    /// <summary>New pricing strategy (strategy-change).</summary>
    public string? Strategy { get; set; }
    /// <summary>New pricing parameters (strategy-change).</summary>
    public PricingSpec? Pricing { get; set; }
    /// <summary>The new GPU type (gpu-generation).</summary>
    public GpuSpec? NewGpu { get; set; }
    /// <summary>The entrant (provider-entry).</summary>
    public ProviderSpec? Entrant { get; set; }
    /// <summary>The released model (model-release): it replaces the provider's model of its tier, or adds the tier.</summary>
    public ModelSpec? Release { get; set; }
}

public sealed class EngineSettings
{
    /// <summary>Customers per customer block (the unit of distribution; results do not depend on it).</summary>
    public int BlockSize { get; set; } = 8192;
    /// <summary>Agent groups of the Orleans engine (one call per group and phase; 0: one per silo at the run's start).
    /// Results do not depend on it.</summary>
    public int Groups { get; set; }
    /// <summary>Longest run accepted, hours by the estimate of <see cref="RunBudget"/> (the run length limit).</summary>
    public double MaxRunHours { get; set; } = RunBudget.DefaultMaxRunHours;
    /// <summary>Most memory a run may need, GB by the estimate of <see cref="RunBudget"/>.</summary>
    public double MaxMemoryGb { get; set; } = RunBudget.DefaultMaxMemoryGb;
}

/// <summary>The kinds of customer segment.</summary>
/// <summary>What the adaptive learner's grid of multiples is anchored to (docs/MODEL.md 9.6).</summary>
public static class LearnerAnchors
{
    /// <summary>The model's unit cost at target utilisation.</summary>
    public const string UnitCost = "unit-cost";
    /// <summary>The model's launch list price (<c>listPrice</c> of the model or its release); the unit cost for a
    /// model without one.</summary>
    public const string LaunchPrice = "launch-price";
}

public static class SegmentKinds
{
    public const string ConstantElasticity = "constant-elasticity";
    public const string Logit = "logit";
}
