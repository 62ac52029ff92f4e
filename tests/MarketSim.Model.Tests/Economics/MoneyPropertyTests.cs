using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Xunit;

namespace MarketSim.Model.Tests.Economics;

/// <summary>Money at the scale the scenario schema allows: exact, and an overflow is an error, never a wrap.</summary>
public sealed class MoneyPropertyTests
{
    private static readonly JsonObject Defs = (JsonObject)JsonNode.Parse(File.ReadAllText(SchemaPath()))!["$defs"]!;

    private static double Maximum(string def, string property) => Defs[def]!["properties"]![property]!["maximum"]!.GetValue<double>();

    /// <summary>Most tokens a provider can serve in one tick: fleet count × tokens per second × a day × the longest tick.</summary>
    private static readonly long MaxTokensPerTick =
        (long)(Maximum("fleetEntry", "count") * Maximum("gpu", "tokensPerSecond") * 86_400 * 365);

    private static readonly long MaxListPriceMicros = Money.FromDollars(Maximum("model", "listPrice"));

    private static long Fraction(long max, ulong draw) => (long)(draw % ((ulong)max + 1));

    [Fact]
    public void The_schema_maxima_of_money_fit_in_micro_dollars_with_room_for_funding_and_costs()
    {
        Assert.Equal(1e12, Maximum("provider", "cash"));
        Assert.Equal(1e12, Maximum("funding", "amount"));
        Assert.Equal(1e12, Maximum("funding", "whenCashBelow"));
        // Cash at its maximum plus a funding round at its maximum, plus the fixed cost of a whole tick of 365 days
        // and the training cost of a model at their maxima: still exact micro-dollars.
        var cash = Money.FromDollars(Maximum("provider", "cash"));
        var funding = Money.FromDollars(Maximum("funding", "amount"));
        var fixedCost = Money.FromDollars(Maximum("provider", "fixedCostPerDay") * 365);
        var training = Money.FromDollars(Maximum("model", "trainingCost"));
        Assert.Equal(3_365_000_000_000_000_000, Money.Sum([cash, funding, fixedCost, training]));
        // A tick of 365 days' capacity at the maximal fleet and GPU speed fits in a long of tokens.
        Assert.Equal(3_153_600_000_000_000_000, MaxTokensPerTick);
        // A tick's GPU rent at the maximal fleet and hourly price fits in micro-dollars too.
        Assert.Equal(876_000_000_000_000_000, Money.FromDollars(Maximum("fleetEntry", "count") * 24 * 365 * Maximum("costCurve", "startPricePerHour")));
    }

    [Property(MaxTest = 500)]
    public bool Any_amount_in_cents_up_to_the_cash_maximum_converts_to_exactly_its_micro_dollars(ulong draw, bool negative)
    {
        var cents = Fraction(100_000_000_000_000, draw) * (negative ? -1 : 1);            // up to ±US$ 1e12
        var text = (cents / 100m).ToString(CultureInfo.InvariantCulture);                 // as written in a scenario
        return Money.FromDollars(double.Parse(text, CultureInfo.InvariantCulture)) == cents * 10_000;
    }

    [Property(MaxTest = 500)]
    public bool A_charge_is_the_exact_floor_or_an_overflow_error(ulong tokenDraw, ulong priceDraw)
    {
        var tokens = Fraction(MaxTokensPerTick, tokenDraw);
        var price = Fraction(MaxListPriceMicros, priceDraw);
        var exact = (BigInteger)tokens * price / 1_000_000;
        return Outcome(() => Money.Charge(tokens, price), exact);
    }

    [Property(MaxTest = 500)]
    public bool Scaling_is_the_exact_floor_or_an_overflow_error(long value, long numerator, long denominator)
    {
        if (denominator <= 0 || numerator < 0) return true;   // the engine scales by shares: 0 <= n, 0 < d
        var exact = BigInteger.Divide((BigInteger)value * numerator, denominator);
        return Outcome(() => Money.Scale(value, numerator, denominator), exact);
    }

    [Property(MaxTest = 500)]
    public bool A_sum_is_exact_or_an_overflow_error(long a, long b, bool big)
    {
        // FsCheck draws small longs; half the cases are moved next to the limits.
        if (big) (a, b) = (long.MaxValue - Math.Abs(a % 1000), b % 2000);
        return Outcome(() => Money.Add(a, b), (BigInteger)a + b);
    }

    [Fact]
    public void Amounts_beyond_micro_dollars_throw_a_money_overflow_that_is_an_overflow_exception()
    {
        foreach (var dollars in new[] { 1e13, -1e13, double.NaN, double.PositiveInfinity, 1e300 })
        {
            var e = Assert.Throws<MoneyOverflowException>(() => Money.FromDollars(dollars));
            Assert.IsAssignableFrom<OverflowException>(e);
            Assert.Contains("fix:", e.Message);
        }
        Assert.Equal(9_223_372_036_854_000_000, Money.FromDollars(Money.MaxDollars));
        Assert.Throws<MoneyOverflowException>(() => Money.Charge(MaxTokensPerTick, MaxListPriceMicros));
        Assert.Throws<MoneyOverflowException>(() => Money.Scale(long.MaxValue, 3, 2));
        Assert.Throws<MoneyOverflowException>(() => Money.Add(long.MaxValue, 1));
        Assert.Throws<MoneyOverflowException>(() => Money.Sum([long.MinValue, -1]));
    }

    [Fact]
    public void A_run_at_the_money_and_fleet_maxima_keeps_every_provider_cash_exact()
    {
        // Cash, funding, fixed cost and fleet at the schema's maxima, ticks of a year: a tick's cost, capacity and
        // revenue are the largest a valid scenario can produce.
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "scenarios", "minimal.yaml");
        var result = ScenarioLoader.Load(path,
        [
            "ticks=6", "tickDays=365", "customers.count=2000",
            "providers.lab-a.cash=1e12", "providers.lab-a.fixedCostPerDay=1e9",
            "providers.lab-a.funding.rounds=100", "providers.lab-a.funding.amount=1e12", "providers.lab-a.funding.whenCashBelow=1e12",
            "providers.lab-a.fleet.0.count=1000000",
        ]);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var engine = new ReferenceEngine(new MarketSetup(result.Scenario!));
        var cash = Money.FromDollars(1e12);
        var funding = Money.FromDollars(1e12);
        while (!engine.Finished)
        {
            var total = engine.Step().Providers[0].Total;
            Assert.Equal(total.RevenueMicros - total.CostMicros, total.ProfitMicros);
            cash = Money.Add(Money.Add(cash, total.ProfitMicros), total.FundingRoundsRaised * funding);
            Assert.Equal(cash, total.CashMicros);
            Assert.True(total.CashMicros > 0, $"cash {total.CashMicros} µ$ wrapped or ran out");
        }
    }

    private static bool Outcome(Func<long> compute, BigInteger exact)
    {
        var fits = exact >= long.MinValue && exact <= long.MaxValue;
        try
        {
            var value = compute();
            return fits && value == exact;
        }
        catch (MoneyOverflowException)
        {
            return !fits;
        }
    }

    private static string SchemaPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "config", "schema", "scenario.schema.json"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "config", "schema", "scenario.schema.json");
    }
}
