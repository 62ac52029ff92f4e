namespace MarketSim.Model.Tests.Economics;

public sealed class NegotiationTests
{
    [Fact]
    public void Without_overlap_of_reservation_prices_there_is_no_deal()
    {
        var r = Negotiation.Bargain(providerOpening: 1000, providerReservation: 800, providerConcession: 1,
            customerOpening: 400, customerCeiling: 700, customerConcession: 1, maxRounds: 4);
        Assert.False(r.Agreed);
        Assert.Equal(NegotiationOutcome.Failed, r.Outcome);
        Assert.Equal(4, r.Rounds);
    }

    [Fact]
    public void With_overlap_the_price_lies_between_the_providers_reservation_and_the_customers_ceiling()
    {
        var r = Negotiation.Bargain(1000, 600, 1, 500, 900, 1, 4);
        Assert.True(r.Agreed);
        Assert.Equal(NegotiationOutcome.Agreed, r.Outcome);
        Assert.InRange(r.PriceMicros, 600, 900);
        Assert.InRange(r.Rounds, 2, 4);
    }

    [Fact]
    public void A_first_offer_below_the_customers_opening_is_accepted_at_once()
    {
        var r = Negotiation.Bargain(500, 400, 1, 600, 900, 1, 4);
        Assert.Equal(new BargainResult(true, 500, 1, NegotiationOutcome.Accepted), r);
    }

    [Fact]
    public void Symmetric_linear_concessions_meet_in_the_middle()
    {
        // Offers 1000, 900, 800, 700 against counters 400, 500, 600, 700: neither side's offer is acceptable
        // to the other until both reach 700 in round 4.
        var r = Negotiation.Bargain(1000, 700, 1, 400, 700, 1, 4);
        Assert.True(r.Agreed);
        Assert.Equal(700, r.PriceMicros);
        Assert.Equal(4, r.Rounds);
    }

    [Fact]
    public void Volume_discount_grows_with_volume_up_to_its_cap()
    {
        Assert.Equal(0, Negotiation.VolumeDiscount(1, 0.15));
        Assert.Equal(0.15 / 3, Negotiation.VolumeDiscount(10, 0.15), 12);
        Assert.Equal(0.15, Negotiation.VolumeDiscount(1e6, 0.15));
    }
}
