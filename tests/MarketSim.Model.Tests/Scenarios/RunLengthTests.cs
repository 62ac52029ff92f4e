namespace MarketSim.Model.Tests.Scenarios;

/// <summary>The run length limit comes from the run's estimated memory and time (<see cref="RunBudget"/>) and the
/// calendar, not from a fixed number of ticks.</summary>
public sealed class RunLengthTests
{
    private static string Shipped(string name) => Path.Combine(Fixtures.RepositoryRoot, "config", "scenarios", name + ".yaml");

    private static ScenarioProblem SingleProblem(string scenario, params string[] overrides)
    {
        var result = ScenarioLoader.Load(Shipped(scenario), overrides);
        Assert.False(result.Ok);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public void Two_million_ticks_of_a_two_firm_market_validate()
    {
        var result = ScenarioLoader.Load(Shipped("duopoly"), ["ticks=2000000"]);

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal(2_000_000, result.Scenario!.Ticks);
        Assert.Equal(2, result.Scenario.Providers.Count);
    }

    [Theory]
    // 2,000,000 x (20 us + 8 x 20 us + 20,000 x 250 ns) = 10,360 s.
    [InlineData("baseline", "ticks=2000000", "",
        "the run would take about 2.9 hours (2,000,000 ticks x 20,000 customers = 4.0e10 customer-ticks at 250 ns each, 8 providers), more than engine.maxRunHours = 1 h",
        "at most about 694,980 ticks fit with these customers; or fewer customers (customers.count), or raise engine.maxRunHours (e.g. --set engine.maxRunHours=3)")]
    // 256 MiB + 2,000,000 x 1 KiB + 8 x 64 KiB + 1095 x (2 KiB + 8 x 1 KiB); (1 GiB - all but the customers) / 1 KiB = 774,970.
    [InlineData("baseline", "customers.count=2000000", "engine.maxMemoryGb=1",
        "the run would need about 2.2 GB of memory (2,000,000 customers, 8 providers), more than engine.maxMemoryGb = 1 GB",
        "at most about 774,970 customers fit; or raise engine.maxMemoryGb if the machine has the memory")]
    [InlineData("duopoly", "start=2023-03-01", "ticks=3000000",
        "3,000,000 ticks of 1 day(s) from 2023-03-01 would end after 9999-12-31, the calendar's last day",
        "at most 2,913,480 ticks from this start; or move start earlier (from 1900-01-01); a tick is tickDays days on the calendar")]
    public void A_run_that_does_not_fit_is_refused_at_ticks_naming_what_it_needs_and_the_fix(string scenario, string first, string second,
        string message, string hint)
    {
        var problem = SingleProblem(scenario, [.. new[] { first, second }.Where(o => o.Length > 0)]);

        Assert.Equal(("ticks", message, hint), (problem.Path, problem.Message, problem.Hint));
    }

    [Fact]
    public void A_larger_time_budget_admits_the_long_baseline()
    {
        var result = ScenarioLoader.Load(Shipped("baseline"), ["ticks=2000000", "engine.maxRunHours=3"]);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
    }

    [Fact]
    public void Every_run_the_fixed_limit_allowed_before_still_fits_the_default_budget()
    {
        // The old limits: 3650 ticks, 2,000,000 customers, 64 providers.
        var largest = new RunEstimate(3650, 2_000_000, 64);

        Assert.Null(RunBudget.BudgetProblem(largest, RunBudget.DefaultMaxRunHours, RunBudget.DefaultMaxMemoryGb));
        Assert.InRange(largest.Seconds, 1800, 1900);
    }

    [Fact]
    public void The_estimate_is_the_documented_sum_of_costs()
    {
        var estimate = new RunEstimate(2_000_000, 200, 2);

        Assert.Equal(2_000_000 * (20e-6 + 2 * 20e-6 + 200 * 250e-9), estimate.Seconds, 6);
        Assert.Equal(256.0 * (1 << 20) + 200 * 1024 + 2 * 65536 + 4096 * (2048 + 2 * 1024), estimate.Bytes);
    }
}
