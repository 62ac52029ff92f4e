namespace MarketSim.Model.Scenarios;

// The scenario as written in YAML (camelCase keys). Defaults here are the documented defaults of docs/MODEL.md;
// the JSON Schema in config/schema/scenario.schema.json mirrors these classes and is the source of validation.

/// <summary>A complete market scenario: calendar, hardware, providers, customers and scheduled events.</summary>
public sealed class Scenario
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>Calendar date of tick 0.</summary>
    public DateOnly Start { get; set; } = new(2023, 3, 1);
    /// <summary>Horizon in ticks.</summary>
    public int Ticks { get; set; } = 365;
    /// <summary>Simulated days per tick.</summary>
    public int TickDays { get; set; } = 1;
    /// <summary>Root seed; every random stream derives from it.</summary>
    public ulong Seed { get; set; } = 1;
    public MarketSettings Market { get; set; } = new();
    /// <summary>GPU types added to (or replacing by id) the built-in catalogue.</summary>
    public List<GpuSpec> Gpus { get; set; } = [];
    public List<ProviderSpec> Providers { get; set; } = [];
    public CustomerSettings Customers { get; set; } = new();
    public List<EventSpec> Events { get; set; } = [];
    public EngineSettings Engine { get; set; } = new();
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
}

public sealed class GpuSpec
{
    public string Id { get; set; } = "";
    public DateOnly Launch { get; set; }
    public double MemoryGb { get; set; }
    public double PowerWatts { get; set; }
    /// <summary>Ideal per-GPU output tokens per second for the reference model (70B parameters, FP8, R = 2).</summary>
    public double TokensPerSecond { get; set; }
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
    public DateOnly Date { get; set; }
    public double Price { get; set; }
}

public sealed class ProviderSpec
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public string? Archetype { get; set; }
    /// <summary>cost-plus | match | undercut | penetration | value-based | adaptive</summary>
    public string Strategy { get; set; } = "cost-plus";
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
    public List<FleetEntry> Fleet { get; set; } = [];
    public ExpansionSpec Expansion { get; set; } = new();
    public FundingSpec Funding { get; set; } = new();
    public List<ModelSpec> Models { get; set; } = [];
}

public sealed class FleetEntry
{
    public string Gpu { get; set; } = "";
    public int Count { get; set; }
}

public sealed class PricingSpec
{
    public double Markup { get; set; } = 1.5;
    public double Undercut { get; set; } = 0.05;
    /// <summary>match/undercut never price below unit cost x floorMargin.</summary>
    public double FloorMargin { get; set; } = 1.0;
    public double PenetrationFactor { get; set; } = 0.6;
    public int PenetrationDays { get; set; } = 180;
    /// <summary>value-based: elasticity of price to the quality ratio against the tier's reference price.</summary>
    public double ValuePremium { get; set; } = 1.0;
    /// <summary>Exponent of the provider's concession curve in negotiation: above 1 concedes late (boulware).</summary>
    public double Concession { get; set; } = 1.0;
    /// <summary>Largest volume discount off list price for big term contracts.</summary>
    public double MaxVolumeDiscount { get; set; } = 0.15;
    public LearnerSpec Learner { get; set; } = new();
}

public sealed class LearnerSpec
{
    public int GridSize { get; set; } = 15;
    /// <summary>Lowest and highest price of the grid as multiples of unit cost.</summary>
    public double LowMultiple { get; set; } = 0.9;
    public double HighMultiple { get; set; } = 4.0;
    public double LearningRate { get; set; } = 0.15;
    public double Discount { get; set; } = 0.95;
    /// <summary>Exploration probability is exp(-explorationDecay x tick).</summary>
    public double ExplorationDecay { get; set; } = 0.01;
}

public sealed class ExpansionSpec
{
    public int LeadTimeDays { get; set; } = 90;
    public double TargetUtilisation { get; set; } = 0.7;
    /// <summary>Largest order as a share of the current fleet.</summary>
    public double MaxOrderShare { get; set; } = 0.25;
    /// <summary>Days between capacity reviews.</summary>
    public int ReviewDays { get; set; } = 30;
}

public sealed class FundingSpec
{
    public int Rounds { get; set; }
    /// <summary>US$ raised per round.</summary>
    public double Amount { get; set; }
    /// <summary>A round is raised when cash falls below this, US$.</summary>
    public double WhenCashBelow { get; set; }
}

public sealed class ModelSpec
{
    public string Id { get; set; } = "";
    /// <summary>frontier | mid | small</summary>
    public string Tier { get; set; } = "mid";
    public double ParametersB { get; set; } = 70;
    /// <summary>Quality score 0..1 as served (after compression).</summary>
    public double Quality { get; set; } = 0.8;
    public CompressionSpec Compression { get; set; } = new();
    public ParallelismSpec Parallelism { get; set; } = new();
    /// <summary>Training cost, US$, amortised linearly over amortisationMonths.</summary>
    public double TrainingCost { get; set; }
    public double AmortisationMonths { get; set; } = 24;
    /// <summary>Blended list price at start, US$ per million tokens; if absent the strategy sets it from unit cost.</summary>
    public double? ListPrice { get; set; }
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
    public int Count { get; set; } = 1000;
    public Dictionary<string, SegmentSpec> Segments { get; set; } = [];
}

public sealed class SegmentSpec
{
    public double Share { get; set; }
    /// <summary>Median daily demand once adopted, million tokens per day at the reference price.</summary>
    public double DailyTokensMillions { get; set; } = 1;
    /// <summary>Log-normal spread (sigma) of daily demand across customers.</summary>
    public double DemandSpread { get; set; } = 1.0;
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
    /// <summary>Loyalty: the incumbent's utility is raised by this fraction.</summary>
    public double Inertia { get; set; } = 0.1;
    /// <summary>Share of customers preferring term contracts over spot.</summary>
    public double TermShare { get; set; } = 0.5;
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
    /// <summary>Date the event takes effect (or use tick).</summary>
    public DateOnly? At { get; set; }
    public int? Tick { get; set; }
    /// <summary>gpu-price-shock | gpu-generation | compression-breakthrough | provider-entry | provider-exit |
    /// price-cut | strategy-change | demand-shock</summary>
    public string Kind { get; set; } = "";
    public string? Provider { get; set; }
    public string? Model { get; set; }
    public string? Gpu { get; set; }
    public string? Segment { get; set; }
    /// <summary>Multiplier (price shock, demand shock, compression ratio gain).</summary>
    public double? Factor { get; set; }
    /// <summary>Fraction (price cut; quality loss for a compression breakthrough).</summary>
    public double? Fraction { get; set; }
    /// <summary>Duration in days; absent means for the rest of the run.</summary>
    public int? Days { get; set; }
    public string? Strategy { get; set; }
    public PricingSpec? Pricing { get; set; }
    /// <summary>The new GPU type (gpu-generation).</summary>
    public GpuSpec? NewGpu { get; set; }
    /// <summary>The entrant (provider-entry).</summary>
    public ProviderSpec? Entrant { get; set; }
}

public sealed class EngineSettings
{
    /// <summary>Customers per customer block (the unit of distribution; results do not depend on it).</summary>
    public int BlockSize { get; set; } = 8192;
}
