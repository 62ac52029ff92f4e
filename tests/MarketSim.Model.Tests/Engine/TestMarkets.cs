namespace MarketSim.Model.Tests.Engine;

/// <summary>Small markets built in code for the laws the model must obey.</summary>
public static class TestMarkets
{
    public static ProviderSpec Provider(string id, string strategy, double listPrice, int gpus = 400, double quality = 0.8) => new()
    {
        Id = id,
        Strategy = strategy,
        Cash = 1e9,
        MinMargin = 1.0,
        Pricing = new PricingSpec { FloorMargin = 1.0, Undercut = 0.05, Markup = 1.5 },
        Fleet = [new FleetEntry { Gpu = "H100", Count = gpus }],
        Models = [new ModelSpec { Id = id + "-70b", Tier = "mid", ParametersB = 70, Quality = quality, ListPrice = listPrice }],
    };

    public static SegmentSpec Segment(double share, double switchingCost = 500, double inertia = 0.1, double termShare = 0.5) => new()
    {
        Share = share,
        DailyTokensMillions = 5,
        ReferencePrice = 2,
        Elasticity = 1.2,
        WillingnessToPay = 6,
        MinQuality = 0.5,
        BudgetPerDay = 2000,
        SwitchingCost = switchingCost,
        Inertia = inertia,
        TermShare = termShare,
        TermDays = 60,
        InitialAdoption = 0.6,
    };

    /// <summary>Three providers with mixed strategies and all four segments.</summary>
    public static Scenario Mixed(int customers = 600, int ticks = 60, ulong seed = 11) => new()
    {
        Name = "mixed",
        Ticks = ticks,
        Seed = seed,
        Providers =
        [
            Provider("lab-a", "cost-plus", 2.0),
            Provider("lab-b", "undercut", 1.8),
            Provider("lab-c", "adaptive", 1.5),
        ],
        Customers = new CustomerSettings
        {
            Count = customers,
            Segments = new()
            {
                ["voice"] = Segment(0.2),
                ["nlp"] = Segment(0.3),
                ["healthcare"] = Segment(0.1),
                ["longtail"] = Segment(0.4, termShare: 0),
            },
        },
        Events = [new EventSpec { Tick = ticks / 2, Kind = "price-cut", Provider = "lab-a", Fraction = 0.3 }],
        Engine = new EngineSettings { BlockSize = 256 },
    };

    /// <summary>Identical providers, identical quality, no switching cost, price-cutting strategies.</summary>
    public static Scenario Bertrand(int ticks = 120) => new()
    {
        Name = "bertrand",
        Ticks = ticks,
        Seed = 5,
        Market = new MarketSettings { ThroughputRealisation = 1 },
        Providers = [Provider("a", "undercut", 3.0), Provider("b", "undercut", 2.5), Provider("c", "undercut", 2.8)],
        Customers = new CustomerSettings
        {
            Count = 500,
            Segments = new() { ["nlp"] = Segment(1.0, switchingCost: 0, inertia: 0, termShare: 0) },
        },
    };

    public static List<TickObservation> Run(Scenario scenario, out string fingerprint)
    {
        var engine = new ReferenceEngine(new MarketSetup(scenario));
        var ticks = new List<TickObservation>();
        while (!engine.Finished) ticks.Add(engine.Step());
        fingerprint = engine.Fingerprint();
        return ticks;
    }
}
