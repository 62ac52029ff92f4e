namespace MarketSim.Model.Economics;

public enum NegotiationOutcome : byte
{
    /// <summary>The provider's first offer was accepted.</summary>
    Accepted = 0,
    /// <summary>Agreement after counter-offers.</summary>
    Agreed = 1,
    /// <summary>No agreement within the rounds (no overlap of reservation prices).</summary>
    Failed = 2,
    /// <summary>Agreed on price but the provider lacked capacity.</summary>
    RejectedCapacity = 3,
}

public readonly record struct BargainResult(bool Agreed, long PriceMicros, int Rounds, NegotiationOutcome Outcome);

/// <summary>
/// Bounded alternating offers with time-dependent concession (Faratin, Sierra and Jennings 1998): in round k of
/// K the provider offers <c>open - (open - reservation) * (k/K)^(1/beta)</c>, the customer counters
/// <c>open + (ceiling - open) * (k/K)^(1/beta)</c>. Each side accepts the other's offer when it is at least as
/// good as what it would itself offer next. Prices are integer µ$ per million tokens.
/// </summary>
public static class Negotiation
{
    public static BargainResult Bargain(long providerOpening, long providerReservation, double providerConcession,
        long customerOpening, long customerCeiling, double customerConcession, int maxRounds)
    {
        if (maxRounds < 1) maxRounds = 1;
        providerReservation = Math.Min(providerReservation, providerOpening);
        customerOpening = Math.Min(customerOpening, customerCeiling);
        for (var k = 0; k < maxRounds; k++)
        {
            var offer = ProviderOffer(providerOpening, providerReservation, providerConcession, k, maxRounds);
            var counter = CustomerOffer(customerOpening, customerCeiling, customerConcession, k, maxRounds);
            // The customer accepts the provider's offer if it is no worse than its own counter this round.
            if (offer <= counter)
                return new BargainResult(true, offer, k + 1, k == 0 ? NegotiationOutcome.Accepted : NegotiationOutcome.Agreed);
            // The provider accepts the counter if it is no worse than the offer it would make next round.
            var next = ProviderOffer(providerOpening, providerReservation, providerConcession, k + 1, maxRounds);
            if (counter >= next && counter >= providerReservation)
                return new BargainResult(true, counter, k + 1, NegotiationOutcome.Agreed);
        }
        return new BargainResult(false, 0, maxRounds, NegotiationOutcome.Failed);
    }

    private static double Schedule(int k, int rounds, double beta) =>
        rounds <= 1 ? 1 : Math.Pow(Math.Min(1.0, (double)k / (rounds - 1)), 1 / Math.Max(beta, 1e-3));

    private static long ProviderOffer(long open, long reservation, double beta, int k, int rounds) =>
        open - (long)Math.Round((open - reservation) * Schedule(k, rounds, beta));

    private static long CustomerOffer(long open, long ceiling, double beta, int k, int rounds) =>
        open + (long)Math.Round((ceiling - open) * Schedule(k, rounds, beta));

    /// <summary>Volume discount off list price: grows with the log of the committed daily volume up to a cap.</summary>
    public static double VolumeDiscount(double dailyMillions, double maxDiscount) =>
        dailyMillions <= 1 ? 0 : Math.Min(maxDiscount, maxDiscount * Math.Log10(dailyMillions) / 3);
}
