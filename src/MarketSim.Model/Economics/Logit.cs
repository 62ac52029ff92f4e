namespace MarketSim.Model.Economics;

/// <summary>The logit choice rule (McFadden 1974): the share of a population choosing option i when each member's
/// utility is <c>u_i + mu * g_i</c> with independent standard Gumbel shocks <c>g_i</c>.</summary>
public static class Logit
{
    /// <summary>A standard Gumbel draw from a uniform in (0, 1): <c>-ln(-ln u)</c>.</summary>
    public static double Gumbel(double uniform) => -Math.Log(-Math.Log(uniform));
}
