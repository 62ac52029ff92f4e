namespace MarketSim.Model.Economics;

/// <summary>
/// The customer's choice among offers: a random-utility (logit) rule on the log value for money of each offer.
/// A customer's utility of offer j is <c>U_ij = k ln q_j - alpha ln p_j + mu g_ij</c> (plus loyalty for its current
/// provider, minus a switching penalty for the others), where <c>g_ij</c> is the customer's lasting Gumbel taste for
/// that provider's model; the customer takes the offer of highest utility. Across many customers the shares follow
/// <see cref="Logit"/> (McFadden 1974; Berry, Levinsohn and Pakes 1995). With alpha = 1, <c>k ln q - ln p</c> is the
/// log of the value of a dollar spent on the offer (the customer's value <c>wtp * q^k</c> per price), so a quality
/// lead is worth a price ratio, not a dollar amount, and falling prices never turn a fixed quality gap into a
/// monopoly. See docs/MODEL.md section 7.
/// </summary>
public static class Choice
{
    /// <summary>Systematic utility of an offer: <c>k ln q - alpha ln p</c> (the customer's own <c>ln wtp</c> is
    /// common to all its offers and left out).</summary>
    public static double OfferUtility(double quality, double qualityWeight, double price, double priceWeight) =>
        qualityWeight * Math.Log(Math.Max(quality, 1e-6)) - priceWeight * Math.Log(Math.Max(price, 1e-9));

    /// <summary>Switching penalty in utility units: <c>ln(1 + S / B)</c>, where S is the one-off switching cost and
    /// B what the customer expects to spend with its current provider over a contract term. A move pays only if the
    /// new offer's value for money beats the current one by the factor <c>1 + S / B</c>.</summary>
    public static double SwitchingPenalty(double switchingCost, double spendOverTerm) =>
        switchingCost <= 0 ? 0 : Math.Log(1 + switchingCost / Math.Max(spendOverTerm, 1e-9));

    /// <summary>Loyalty to the current provider in utility units: its value for money counts <c>1 + inertia</c>
    /// times higher.</summary>
    public static double Loyalty(double inertia) => Math.Log(1 + inertia);
}
