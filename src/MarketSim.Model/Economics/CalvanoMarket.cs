namespace MarketSim.Model.Economics;

/// <summary>
/// The market of Calvano, Calzolari, Denicolò and Pastorello (AER 2020) as one provider of the engine sees it when it
/// prices with the <c>calvano</c> strategy (docs/MODEL.md 9.7), in the paper's units: prices divided by the
/// provider's unit cost, so that its cost is 1. The logit segment's qualities <c>a_j</c>, outside utility <c>a_0</c>
/// and scale <c>mu</c> (US$ per million tokens) are divided by the same unit cost; every firm is taken to have the
/// provider's own cost (the paper's symmetric baseline). With a unit cost of 1 $/M the units are the scenario's.
/// </summary>
public sealed class CalvanoMarket
{
    /// <summary>The paper's grid widening: prices on <c>[p_N - xi (p_M - p_N), p_M + xi (p_M - p_N)]</c>.</summary>
    public const double Xi = 0.1;

    /// <summary>The paper's memory: the state is the firms' prices of the last period.</summary>
    public const int Memory = 1;

    /// <summary>The paper's convergence rule: no greedy action changed for this many periods.</summary>
    public const int ConvergenceWindow = 100_000;

    /// <summary>The provider's unit cost, US$ per million tokens: the unit of prices here.</summary>
    public double UnitCost { get; }

    /// <summary>The firm this view belongs to.</summary>
    public int Self { get; }

    /// <summary>The game in the paper's units (every cost 1).</summary>
    public LogitCompetition Competition { get; }

    /// <summary>Each firm's grid of <c>m</c> prices, paper units.</summary>
    public IReadOnlyList<double[]> Grids { get; }

    /// <summary>One-shot Nash and joint-monopoly prices of <see cref="Self"/>, paper units.</summary>
    public double NashPrice { get; }
    public double MonopolyPrice { get; }

    /// <summary>Per-period profits of <see cref="Self"/> at the Nash and monopoly prices (market size 1), paper units.</summary>
    public double NashProfit { get; }
    public double MonopolyProfit { get; }

    /// <param name="qualities">a_j of every firm's offer, US$ per million tokens.</param>
    /// <param name="self">The provider's firm index.</param>
    /// <param name="unitCost">Its unit cost, US$ per million tokens (positive).</param>
    /// <param name="outsideUtility">a_0, US$ per million tokens.</param>
    /// <param name="mu">The logit scale, US$ per million tokens.</param>
    /// <param name="gridSize">m.</param>
    public CalvanoMarket(IReadOnlyList<double> qualities, int self, double unitCost, double outsideUtility, double mu, int gridSize)
    {
        if (!(unitCost > 0) || !double.IsFinite(unitCost))
            throw new ArgumentOutOfRangeException(nameof(unitCost), unitCost, "the unit cost must be positive");
        UnitCost = unitCost;
        Self = self;
        Competition = new LogitCompetition([.. qualities.Select(a => a / unitCost)], [.. qualities.Select(_ => 1.0)],
            outsideUtility / unitCost, mu / unitCost);
        var nash = Competition.NashPrices();
        var monopoly = Competition.MonopolyPrices();
        Grids = [.. Enumerable.Range(0, qualities.Count).Select(i => LearningGame.PriceGrid(nash[i], monopoly[i], Xi, gridSize))];
        NashPrice = nash[self];
        MonopolyPrice = monopoly[self];
        NashProfit = Competition.ProfitsAt(nash)[self];
        MonopolyProfit = Competition.ProfitsAt(monopoly)[self];
    }

    /// <summary>The paper's per-period reward of a firm: <c>(p - c) s</c> with p in paper units and s its demand share.</summary>
    public static double Reward(double price, double share) => LogitCompetition.Profit(price, 1, share);

    /// <summary>Index of the grid price of <paramref name="firm"/> nearest to a price in paper units.</summary>
    public int NearestIndex(int firm, double price)
    {
        var grid = Grids[firm];
        return QLearner.NearestIndex(grid[0], grid[^1], grid.Length, price);
    }

    /// <summary>The paper's initial Q of <see cref="Self"/>'s actions: the discounted payoff against rivals who randomise
    /// uniformly over their grids (<see cref="CalvanoQLearner.InitialQ"/>).</summary>
    public double[] InitialQ(double discount)
    {
        var firms = Grids.Count;
        var m = Grids[0].Length;
        var joints = CalvanoQLearner.StateCountOf(firms, m, 1);
        var payoffs = new double[joints];
        var prices = new double[firms];
        var profits = new double[firms];
        for (var joint = 0; joint < joints; joint++)
        {
            for (int i = 0, digits = joint; i < firms; i++, digits /= m) prices[i] = Grids[i][digits % m];
            Competition.Profits(prices, profits);
            payoffs[joint] = profits[Self];
        }
        var q0 = new double[m];
        CalvanoQLearner.InitialQ(payoffs, Self, firms, m, discount, q0);
        return q0;
    }

    /// <summary>The profit gain <c>Delta = (pi - pi_N) / (pi_M - pi_N)</c> of a profit in paper units.</summary>
    public double ProfitGain(double profit) => LogitCompetition.ProfitGain(profit, NashProfit, MonopolyProfit);
}
