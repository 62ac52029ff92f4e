namespace MarketSim.Integration.Tests;

/// <summary>A small market built in code: three providers with different pricing rules (one learns its price), an entrant, four
/// segments with term contracts (so that there are negotiations), 400 customers.</summary>
public static class TestMarket
{
    public static readonly string[] ProviderIds = ["lab-a", "lab-b", "lab-c", "lab-d"];

    public static Scenario Build(int ticks = 100, ulong seed = 11) => new()
    {
        Name = "metrics-test",
        Start = new DateOnly(2024, 1, 1),
        Ticks = ticks,
        TickDays = 1,
        Seed = seed,
        Providers =
        [
            Provider("lab-a", "cost-plus", 50e6, "H100", 6, Model("a-large", "frontier", 400, 0.92, 12), Model("a-mid", "mid", 70, 0.8, 2)),
            Provider("lab-b", "undercut", 20e6, "H100", 4, Model("b-mid", "mid", 70, 0.78, 1.8), Model("b-small", "small", 8, 0.6, 0.3)),
            Provider("lab-c", "adaptive", 10e6, "A100", 4, Model("c-small", "small", 8, 0.58, 0.25)),
        ],
        Events =
        [
            new EventSpec
            {
                Tick = ticks / 3, Kind = "provider-entry",
                Entrant = Provider("lab-d", "penetration", 30e6, "H100", 4, Model("d-mid", "mid", 70, 0.8, null)),
            },
        ],
        Customers = new CustomerSettings
        {
            Count = 400,
            Segments = new Dictionary<string, SegmentSpec>
            {
                ["voice"] = new() { Share = 0.2, DailyTokensMillions = 2, MinQuality = 0.7, TermShare = 0.6 },
                ["nlp"] = new() { Share = 0.3, DailyTokensMillions = 3, Elasticity = 1.8, MinQuality = 0.55, TermShare = 0.5 },
                ["healthcare"] = new() { Share = 0.1, MinQuality = 0.85, WillingnessToPay = 40, TermShare = 0.8 },
                ["longtail"] = new() { Share = 0.4, DailyTokensMillions = 0.2, MinQuality = 0.5, TermShare = 0.2 },
            },
        },
        Engine = new EngineSettings { BlockSize = 128 },
    };

    private static ProviderSpec Provider(string id, string strategy, double cash, string gpu, int gpus, params ModelSpec[] models) => new()
    {
        Id = id, Name = id, Strategy = strategy, Cash = cash,
        Fleet = [new FleetEntry { Gpu = gpu, Count = gpus }],
        Models = [.. models],
    };

    private static ModelSpec Model(string id, string tier, double parametersB, double quality, double? listPrice) => new()
    {
        Id = id, Tier = tier, ParametersB = parametersB, Quality = quality, ListPrice = listPrice,
    };
}
