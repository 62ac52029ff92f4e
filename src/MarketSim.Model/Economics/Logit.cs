namespace MarketSim.Model.Economics;

/// <summary>
/// Multinomial logit choice (McFadden 1974), written once: the share of each alternative when every chooser picks
/// the alternative of highest utility plus a Gumbel taste shock of scale <c>mu</c>. Calvano, Calzolari, Denicolò
/// and Pastorello (AER 2020) use it as the demand of their pricing game with utilities
/// <c>u_i = a_i - p_i</c> and an outside good of utility <c>a_0</c>.
/// </summary>
public static class Logit
{
    /// <summary>
    /// Logit shares <c>s_i = exp(u_i / mu) / (sum_j exp(u_j / mu) + exp(u_0 / mu))</c>, computed stably (every
    /// exponent is taken relative to the largest utility, the outside one included). Returns the outside share
    /// <c>s_0 = 1 - sum_i s_i</c>. An outside utility of negative infinity means no outside good.
    /// </summary>
    /// <param name="utilities">Utilities <c>u_i</c> of the inside alternatives.</param>
    /// <param name="outsideUtility">Utility <c>u_0</c> of not buying.</param>
    /// <param name="mu">Scale of the taste shock (horizontal differentiation), positive.</param>
    /// <param name="shares">Receives <c>s_i</c>; as long as <paramref name="utilities"/>.</param>
    public static double Shares(ReadOnlySpan<double> utilities, double outsideUtility, double mu, Span<double> shares)
    {
        if (!(mu > 0)) throw new ArgumentOutOfRangeException(nameof(mu), mu, "the logit scale must be positive");
        if (shares.Length != utilities.Length)
            throw new ArgumentException("one share per utility", nameof(shares));
        var max = outsideUtility;
        foreach (var u in utilities) max = Math.Max(max, u);
        var outside = Math.Exp((outsideUtility - max) / mu);
        var sum = outside;
        for (var i = 0; i < utilities.Length; i++)
        {
            shares[i] = Math.Exp((utilities[i] - max) / mu);
            sum += shares[i];
        }
        for (var i = 0; i < shares.Length; i++) shares[i] /= sum;
        return outside / sum;
    }

    /// <summary>
    /// Standard Gumbel (type I extreme value) draw by inversion, <c>-ln(-ln u)</c> for a uniform <c>u</c> in
    /// (0, 1): choosers who pick <c>argmax_i(u_i + mu * Gumbel)</c> (the outside good included) have logit
    /// shares in the limit (McFadden 1974).
    /// </summary>
    public static double Gumbel(double uniform) => -Math.Log(-Math.Log(uniform));
}
