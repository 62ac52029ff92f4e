using MarketSim.Cli.Output;
using MarketSim.Model.Engine;
using MarketSim.Model.Scenarios;

namespace MarketSim.Cli.Tests;

/// <summary>The served share of a run and of each of its years, from tick observations built by hand.</summary>
public sealed class RunSummaryTests
{
    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(364, 1, 1)]
    [InlineData(365, 1, 2)]
    [InlineData(52, 7, 1)]      // day 364
    [InlineData(53, 7, 2)]      // day 371
    public void A_year_of_the_run_is_365_days_from_the_start(int tick, int tickDays, int year) =>
        Assert.Equal(year, RunSummary.YearOf(tick, tickDays));

    [Fact]
    public void The_served_share_is_summed_over_the_run_and_each_year_and_the_lowest_year_is_reported()
    {
        var setup = new MarketSetup(new Scenario { Ticks = 800, Start = new DateOnly(2024, 1, 1) });
        var summary = new RunSummary(setup);
        // Year 1: 365 ticks wanting 100 and losing 10; year 2: 365 ticks losing 30; year 3 (70 ticks): losing nothing.
        for (var t = 0; t < 800; t++) summary.Add(Tick(setup, t, wanted: 100, lost: t < 365 ? 10 : t < 730 ? 30 : 0));

        Assert.Equal(80_000, summary.TokensWanted);
        Assert.Equal(365 * 10 + 365 * 30, summary.TokensLost);
        Assert.Equal((80_000 - 14_600) / 80_000.0, summary.ServedShare);
        Assert.Equal([1, 2, 3], summary.Years.Select(y => y.Year));
        Assert.Equal([365, 365, 70], summary.Years.Select(y => y.Ticks));
        Assert.Equal([0.9, 0.7, 1.0], summary.Years.Select(y => Math.Round(y.ServedShare, 12)));
        // Years of the run are 365 days, not calendar years: 2024 is a leap year, so year 2 starts on 31 December.
        Assert.Equal(new DateOnly(2024, 12, 31), summary.Years[1].From);
        Assert.Equal(new DateOnly(2024, 12, 30), summary.Years[0].To);
        Assert.Equal(0.7, summary.MinYearServedShare!.Value, 12);
    }

    [Fact]
    public void Nothing_wanted_is_all_served()
    {
        var setup = new MarketSetup(new Scenario { Ticks = 3 });
        var summary = new RunSummary(setup);
        Assert.Null(summary.ServedShare);
        summary.Add(Tick(setup, 0, wanted: 0, lost: 0));
        Assert.Equal(1.0, summary.ServedShare);
        Assert.Equal(1.0, summary.MinYearServedShare);
    }

    private static TickObservation Tick(MarketSetup setup, int tick, long wanted, long lost) => new()
    {
        Tick = tick,
        Date = setup.DateOf(tick),
        PriceIndex = [double.NaN, double.NaN, double.NaN],
        CapabilityListed = new double[setup.CapabilityLevels.Length],
        CapabilityBought = new double[setup.CapabilityLevels.Length],
        Providers = [],
        Segments = [new SegmentTick { DemandTokens = wanted, ServedTokens = wanted - lost }],
        Negotiations = new long[NegotiationStats.Outcomes + NegotiationStats.MaxRounds],
        CustomersPaidMicros = 0,
        ProvidersReceivedMicros = 0,
    };
}
