namespace MarketSim.Model.Tests.Economics;

public sealed class DemandTests
{
    [Fact]
    public void Constant_elasticity_demand_equals_its_base_at_the_reference_price_and_falls_by_the_elasticity()
    {
        Assert.Equal(10, Demand.DailyMillions(10, 2, 2, 1.5, 100, 1e9), 12);
        Assert.Equal(10 / 4.0, Demand.DailyMillions(10, 4, 2, 2, 100, 1e9), 12);
    }

    [Fact]
    public void Demand_is_capped_by_saturation_and_budget()
    {
        Assert.Equal(10 * 3, Demand.DailyMillions(10, 0.001, 2, 2, 3, 1e9), 12);
        // $50 a day at $10 per million buys 5 million.
        Assert.Equal(5, Demand.DailyMillions(10, 10, 10, 1, 100, 50), 12);
    }

    [Fact]
    public void Value_and_utility()
    {
        Assert.Equal(20 * 0.81, Demand.ValuePerMillion(20, 0.9, 2), 12);
        Assert.Equal(5 * (16.2 - 3) - 1, Demand.DailyUtility(5, 16.2, 3, 1), 12);
    }

    [Theory]
    [InlineData(0.3, 0.30)]
    [InlineData(0.5, 0.55)]
    [InlineData(0.9, 0.95)]
    public void Arrival_day_inverts_the_adoption_curve(double initial, double u)
    {
        var day = Demand.ArrivalDay(u, initial, 365, 0.01);
        Assert.Equal(u, Demand.AdoptedShare(day, initial, 365, 0.01), 9);
        Assert.Equal(initial, Demand.AdoptedShare(0, initial, 365, 0.01), 12);
    }
}
