using MathNet.Numerics.RootFinding;

namespace MarketSim.Model.Economics;

/// <summary>
/// Price competition of n single-product firms under logit demand, the market of Calvano, Calzolari, Denicolò and
/// Pastorello (AER 2020), economic environment: demand <c>q_i = M s_i</c> with logit shares of utilities
/// <c>a_i - p_i</c> against an outside good <c>a_0</c> at scale <c>mu</c>, profit <c>pi_i = (p_i - c_i) q_i</c>.
/// Their baseline is <see cref="Baseline"/>: n = 2, a_i = 2, c_i = 1, a_0 = 0, mu = 0.25.
/// </summary>
public sealed class LogitCompetition
{
    /// <summary>Quality indexes <c>a_i</c> (vertical differentiation).</summary>
    public IReadOnlyList<double> A => _a;

    /// <summary>Unit costs <c>c_i</c>.</summary>
    public IReadOnlyList<double> C => _c;

    /// <summary>Utility of the outside good <c>a_0</c>; negative infinity for none.</summary>
    public double A0 { get; }

    /// <summary>Logit scale <c>mu</c> (horizontal differentiation).</summary>
    public double Mu { get; }

    /// <summary>Market size <c>M</c>: quantities are shares times M.</summary>
    public double MarketSize { get; }

    public int Firms => _a.Length;

    private readonly double[] _a;
    private readonly double[] _c;

    public LogitCompetition(IReadOnlyList<double> a, IReadOnlyList<double> c, double a0, double mu, double marketSize = 1)
    {
        if (a.Count == 0 || a.Count != c.Count) throw new ArgumentException("one quality and one cost per firm");
        if (!(mu > 0)) throw new ArgumentOutOfRangeException(nameof(mu), mu, "the logit scale must be positive");
        _a = [.. a];
        _c = [.. c];
        A0 = a0;
        Mu = mu;
        MarketSize = marketSize;
    }

    /// <summary>n symmetric firms of quality a and cost c.</summary>
    public static LogitCompetition Symmetric(int firms, double a, double c, double a0, double mu) =>
        new(Enumerable.Repeat(a, firms).ToArray(), Enumerable.Repeat(c, firms).ToArray(), a0, mu);

    /// <summary>The baseline of Calvano et al. (2020): n = 2, a_i = 2, c_i = 1, a_0 = 0, mu = 1/4.</summary>
    public static LogitCompetition Baseline() => Symmetric(2, a: 2, c: 1, a0: 0, mu: 0.25);

    /// <summary>Shares <c>s_i</c> at prices p; returns the outside share <c>s_0</c>.</summary>
    public double Shares(ReadOnlySpan<double> prices, Span<double> shares)
    {
        Span<double> utilities = Firms <= 64 ? stackalloc double[Firms] : new double[Firms];
        for (var i = 0; i < Firms; i++) utilities[i] = _a[i] - prices[i];
        return Logit.Shares(utilities, A0, Mu, shares);
    }

    /// <summary>Quantities <c>q_i = M s_i</c> and profits <c>pi_i = (p_i - c_i) q_i</c> at prices p.</summary>
    public void Profits(ReadOnlySpan<double> prices, Span<double> profits)
    {
        Shares(prices, profits);
        for (var i = 0; i < Firms; i++) profits[i] = Profit(prices[i], _c[i], MarketSize * profits[i]);
    }

    /// <summary>Profit of a firm: <c>pi = (p - c) q</c>.</summary>
    public static double Profit(double p, double c, double q) => (p - c) * q;

    /// <summary>Bertrand-Nash first-order condition under logit demand, solved for the markup:
    /// <c>p_i - c_i = mu / (1 - s_i)</c> (Anderson, de Palma and Thisse 1992, ch. 7).</summary>
    public static double BertrandMarkup(double mu, double s_i) => mu / (1 - s_i);

    /// <summary>Joint-monopoly first-order conditions under logit demand: every product carries the same markup
    /// <c>p_i - c_i = mu / s_0</c> (from <c>p_i - c_i = mu + sum_j (p_j - c_j) s_j</c>).</summary>
    public static double JointMonopolyMarkup(double mu, double s_0) => mu / s_0;

    /// <summary>Profit gain of Calvano et al. (2020): <c>Delta = (pi - pi_N) / (pi_M - pi_N)</c>; 0 at the
    /// one-shot Nash profit, 1 at the joint-monopoly profit.</summary>
    public static double ProfitGain(double profit, double nashProfit, double monopolyProfit) =>
        (profit - nashProfit) / (monopolyProfit - nashProfit);

    /// <summary>One-shot Bertrand-Nash prices: the roots of <c>p_i - c_i - mu / (1 - s_i(p))</c> for every i
    /// (Broyden's method from <c>p = c + mu</c>), to a residual of <paramref name="accuracy"/>.</summary>
    public double[] NashPrices(double accuracy = 1e-12)
    {
        var shares = new double[Firms];
        double[] Residual(double[] p)
        {
            Shares(p, shares);
            var r = new double[Firms];
            for (var i = 0; i < Firms; i++) r[i] = p[i] - _c[i] - BertrandMarkup(Mu, shares[i]);
            return r;
        }
        var start = new double[Firms];
        for (var i = 0; i < Firms; i++) start[i] = _c[i] + Mu;
        return Broyden.FindRoot(Residual, start, accuracy, maxIterations: 1000);
    }

    /// <summary>Joint-monopoly prices (maximising total profit): the common markup m solves
    /// <c>m = mu / s_0(c + m)</c> (Brent's method); needs an outside good.</summary>
    public double[] MonopolyPrices(double accuracy = 1e-13)
    {
        if (double.IsNegativeInfinity(A0)) throw new InvalidOperationException("without an outside good a monopolist's price is unbounded");
        var prices = new double[Firms];
        var shares = new double[Firms];
        double Residual(double m)
        {
            for (var i = 0; i < Firms; i++) prices[i] = _c[i] + m;
            return m - JointMonopolyMarkup(Mu, Shares(prices, shares));
        }
        var markup = Brent.FindRootExpand(Residual, Mu / 2, 2 * Mu, accuracy, maxIterations: 1000);
        for (var i = 0; i < Firms; i++) prices[i] = _c[i] + markup;
        return prices;
    }

    /// <summary>Profits at the given prices, as a new array.</summary>
    public double[] ProfitsAt(ReadOnlySpan<double> prices)
    {
        var profits = new double[Firms];
        Profits(prices, profits);
        return profits;
    }
}
