using MarketSim.Model.Randomness;

namespace MarketSim.Model.Economics;

/// <summary>Profits of every firm at a vector of prices (one per firm).</summary>
public delegate void PayoffFunction(ReadOnlySpan<double> prices, Span<double> profits);

/// <summary>Parameters of a repeated pricing game between <see cref="CalvanoQLearner"/>s; the defaults are the
/// baseline of Calvano, Calzolari, Denicolò and Pastorello (AER 2020).</summary>
public sealed record LearningSpec
{
    /// <summary>m, prices on each firm's grid.</summary>
    public int GridSize { get; init; } = 15;

    /// <summary>xi: the grid reaches this share of <c>p_M - p_N</c> below the Nash and above the monopoly price.</summary>
    public double Xi { get; init; } = 0.1;

    /// <summary>k, past periods in the state.</summary>
    public int Memory { get; init; } = 1;

    public double Alpha { get; init; } = 0.15;
    public double Discount { get; init; } = 0.95;

    /// <summary>beta of <c>epsilon_t = exp(-beta t)</c>.</summary>
    public double Beta { get; init; } = 4e-6;

    /// <summary>Converged once no firm's greedy action in any state has changed for this many periods.</summary>
    public int ConvergenceWindow { get; init; } = 100_000;

    /// <summary>Stop here if not converged (10^9 in the paper).</summary>
    public long MaxPeriods { get; init; } = 1_000_000_000;

    /// <summary>Periods at the end of the run whose prices and profits are averaged.</summary>
    public int AverageWindow { get; init; } = 100_000;
}

/// <summary>What a learning run reached. Prices and profits per firm.</summary>
/// <param name="Converged">Whether the strategies stayed unchanged for the convergence window.</param>
/// <param name="Periods">Periods played; when converged, the period at which the criterion was met.</param>
/// <param name="AveragePrices">Mean price over the last <see cref="LearningSpec.AverageWindow"/> periods played
/// (exploration included).</param>
/// <param name="AverageProfits">Mean profit over the same periods.</param>
/// <param name="ProfitGains">Delta of each firm's <paramref name="AverageProfits"/>; NaN without benchmarks.</param>
/// <param name="CyclePrices">Prices of the limit path of the greedy strategies from the last state, one row
/// per period of its cycle (the paper's outcome of a converged run).</param>
/// <param name="CycleProfits">Mean profit of each firm over that cycle.</param>
/// <param name="CycleProfitGains">Delta of each firm's <paramref name="CycleProfits"/>.</param>
public sealed record LearningOutcome(
    bool Converged,
    long Periods,
    double[] AveragePrices,
    double[] AverageProfits,
    double[] ProfitGains,
    double[][] CyclePrices,
    double[] CycleProfits,
    double[] CycleProfitGains)
{
    /// <summary>Delta averaged over firms, on the last window's profits.</summary>
    public double ProfitGain => ProfitGains.Average();

    /// <summary>Delta averaged over firms, on the greedy limit cycle (the paper's measure).</summary>
    public double CycleProfitGain => CycleProfitGains.Average();

    public int CycleLength => CyclePrices.Length;
}

/// <summary>How a firm deviates in the impulse-response experiment.</summary>
public enum DeviationKind
{
    /// <summary>The price on the grid that maximises the period's profit against the rivals' prices.</summary>
    StaticBestResponse,

    /// <summary>One grid step below its greedy price.</summary>
    OneStepDown,
}

/// <summary>Prices and profits around a one-period deviation: row 0 is the undisturbed period, row 1 the
/// deviation, rows 2.. the periods after it, all played greedily with frozen Q.</summary>
public sealed record ImpulseResponse(int Deviator, double[][] Prices, double[][] Profits);

/// <summary>
/// The repeated pricing game of Calvano et al. (2020): n <see cref="CalvanoQLearner"/>s choose prices on their
/// grids period after period against a fixed payoff function, until their greedy strategies stop changing. The
/// payoffs of all <c>m^n</c> joint actions are computed once, so a period reads a table and allocates nothing.
/// Deterministic from a seed; <see cref="Write"/> and <see cref="Read"/> checkpoint a run mid-way.
/// </summary>
public sealed class LearningGame
{
    public LearningSpec Spec { get; }
    public int Firms { get; }

    /// <summary>Periods played so far.</summary>
    public long Period => _t;

    /// <summary>Whether the greedy strategies have been unchanged for the convergence window.</summary>
    public bool Converged => _stable >= Spec.ConvergenceWindow;

    /// <summary>The learners, in firm order.</summary>
    public IReadOnlyList<CalvanoQLearner> Learners => _learners;

    private readonly int _m;
    private readonly int _joints;        // m^n
    private readonly double[] _prices;   // [firm * m + action]
    private readonly double[] _payoffs;  // [firm * m^n + joint]
    private readonly double[]? _nashProfits;
    private readonly double[]? _monopolyProfits;
    private readonly CalvanoQLearner[] _learners;
    private readonly int[] _actions;
    private readonly int[] _recent;      // ring of the last joint actions
    private int _state;
    private long _t;
    private long _stable;

    /// <param name="grids">Each firm's price grid (m prices each).</param>
    /// <param name="payoffs">Profits at a price vector.</param>
    /// <param name="nashProfits">Benchmark profits of the profit gain (null: no profit gain).</param>
    /// <param name="monopolyProfits">Benchmark profits of the profit gain (null: no profit gain).</param>
    /// <param name="spec">Learning parameters.</param>
    /// <param name="seed">Root seed of every draw of the run.</param>
    public LearningGame(IReadOnlyList<double[]> grids, PayoffFunction payoffs, double[]? nashProfits,
        double[]? monopolyProfits, LearningSpec spec, ulong seed)
    {
        Spec = spec;
        Firms = grids.Count;
        _m = spec.GridSize;
        if (grids.Any(g => g.Length != _m)) throw new ArgumentException($"every grid needs {_m} prices", nameof(grids));
        _joints = CalvanoQLearner.StateCountOf(Firms, _m, 1);
        _prices = grids.SelectMany(g => g).ToArray();
        _payoffs = PayoffTable(payoffs);
        _nashProfits = nashProfits;
        _monopolyProfits = monopolyProfits;
        _actions = new int[Firms];
        _recent = new int[spec.AverageWindow];

        var q0 = new double[_m];
        _learners = new CalvanoQLearner[Firms];
        for (var i = 0; i < Firms; i++)
        {
            CalvanoQLearner.InitialQ(_payoffs.AsSpan(i * _joints, _joints), i, Firms, _m, spec.Discount, q0);
            var stream = RandomStream.For(seed, RandomStream.ProviderAgent(i), 0, Purpose.Exploration);
            _learners[i] = new CalvanoQLearner(Firms, _m, spec.Memory, spec.Alpha, spec.Discount, q0, stream.NextUInt64());
        }
        // The first state: k periods of prices drawn uniformly by each firm.
        for (var period = 0; period < spec.Memory; period++)
        {
            for (var i = 0; i < Firms; i++) _actions[i] = _learners[i].RandomAction();
            _state = _learners[0].NextState(_state, JointOf(_actions));
        }
    }

    /// <summary>The paper's game on a logit market: each firm's grid spans its Nash and monopoly prices widened
    /// by xi, and the profit gain is measured against the Nash and monopoly profits.</summary>
    public static LearningGame ForLogit(LogitCompetition market, LearningSpec spec, ulong seed)
    {
        var nash = market.NashPrices();
        var monopoly = market.MonopolyPrices();
        var grids = Enumerable.Range(0, market.Firms)
            .Select(i => PriceGrid(nash[i], monopoly[i], spec.Xi, spec.GridSize)).ToArray();
        return new LearningGame(grids, market.Profits, market.ProfitsAt(nash), market.ProfitsAt(monopoly), spec, seed);
    }

    /// <summary>m prices evenly spaced on <c>[p_N - xi (p_M - p_N), p_M + xi (p_M - p_N)]</c> (Calvano et al.
    /// 2020).</summary>
    public static double[] PriceGrid(double nashPrice, double monopolyPrice, double xi, int m)
    {
        var low = nashPrice - xi * (monopolyPrice - nashPrice);
        var high = monopolyPrice + xi * (monopolyPrice - nashPrice);
        return Enumerable.Range(0, m).Select(j => QLearner.GridPrice(low, high, m, j)).ToArray();
    }

    /// <summary>Price of a firm's action.</summary>
    public double Price(int firm, int action) => _prices[firm * _m + action];

    /// <summary>Profit of a firm at a joint action <c>sum_j a_j m^j</c>.</summary>
    public double Payoff(int firm, int joint) => _payoffs[firm * _joints + joint];

    /// <summary>Plays until converged or <see cref="LearningSpec.MaxPeriods"/>; returns the outcome.</summary>
    public LearningOutcome Run()
    {
        RunUntil(Spec.MaxPeriods);
        return Outcome();
    }

    /// <summary>Plays until converged or until <paramref name="period"/> periods have been played.</summary>
    public void RunUntil(long period)
    {
        var n = Firms;
        var window = Spec.ConvergenceWindow;
        var beta = Spec.Beta;
        var learners = _learners;
        var first = learners[0];
        var actions = _actions;
        var recent = _recent;
        while (_t < period && _stable < window)
        {
            var epsilon = CalvanoQLearner.Exploration(beta, _t);
            for (var i = 0; i < n; i++) actions[i] = learners[i].Choose(_state, epsilon);
            var joint = JointOf(actions);
            var next = first.NextState(_state, joint);
            var changed = false;
            for (var i = 0; i < n; i++)
                changed |= learners[i].Learn(_state, actions[i], _payoffs[i * _joints + joint], next);
            _state = next;
            recent[_t % recent.Length] = joint;
            _t++;
            _stable = changed ? 0 : _stable + 1;
        }
    }

    /// <summary>The measures of the run so far.</summary>
    public LearningOutcome Outcome()
    {
        var count = (int)Math.Min(_t, _recent.Length);
        var averagePrices = new double[Firms];
        var averageProfits = new double[Firms];
        for (var k = 0; k < count; k++)
            Accumulate(_recent[k], averagePrices, averageProfits);
        Scale(averagePrices, count);
        Scale(averageProfits, count);

        var cycle = GreedyCycle(_state);
        var cyclePrices = new double[cycle.Count][];
        var cycleProfits = new double[Firms];
        for (var k = 0; k < cycle.Count; k++)
        {
            var joint = GreedyJoint(cycle[k]);
            cyclePrices[k] = PricesOf(joint);
            for (var i = 0; i < Firms; i++) cycleProfits[i] += Payoff(i, joint);
        }
        Scale(cycleProfits, cycle.Count);
        return new LearningOutcome(Converged, _t, averagePrices, averageProfits, ProfitGains(averageProfits),
            cyclePrices, cycleProfits, ProfitGains(cycleProfits));
    }

    /// <summary>
    /// The deviation experiment of Calvano et al. (2020): from the first state of the greedy limit
    /// cycle, <paramref name="deviator"/> deviates for one period while the rivals play greedily; then all play
    /// greedily with Q frozen, for <paramref name="after"/> periods. The run itself is not changed.
    /// </summary>
    public ImpulseResponse Deviate(int deviator, DeviationKind kind, int after)
    {
        var state = GreedyCycle(_state)[0];
        var prices = new double[after + 2][];
        var profits = new double[after + 2][];
        var undisturbed = GreedyJoint(state);
        Record(0, undisturbed);

        GreedyActions(state, _actions);
        _actions[deviator] = kind switch
        {
            DeviationKind.StaticBestResponse => StaticBestResponse(deviator, _actions),
            _ => Math.Max(0, _actions[deviator] - 1),
        };
        var joint = JointOf(_actions);
        Record(1, joint);
        for (var k = 2; k < after + 2; k++)
        {
            state = _learners[0].NextState(state, joint);
            joint = GreedyJoint(state);
            Record(k, joint);
        }
        return new ImpulseResponse(deviator, prices, profits);

        void Record(int row, int j)
        {
            prices[row] = PricesOf(j);
            profits[row] = new double[Firms];
            for (var i = 0; i < Firms; i++) profits[row][i] = Payoff(i, j);
        }
    }

    /// <summary>The action on the grid that maximises a firm's profit this period against the others' actions
    /// (lowest index on ties).</summary>
    public int StaticBestResponse(int firm, ReadOnlySpan<int> actions)
    {
        var place = 1;
        for (var j = 0; j < firm; j++) place *= _m;
        var others = JointOf(actions) - actions[firm] * place;
        var best = 0;
        for (var a = 1; a < _m; a++)
            if (Payoff(firm, others + a * place) > Payoff(firm, others + best * place)) best = a;
        return best;
    }

    /// <summary>Writes what changes during a run (the parameters and payoffs are the constructor's).</summary>
    public void Write(BinaryWriter w)
    {
        w.Write(_t);
        w.Write(_stable);
        w.Write(_state);
        Codec.WriteArray(w, _recent);
        foreach (var learner in _learners) learner.Write(w);
    }

    /// <summary>Reads a checkpoint into a game built with the same parameters, payoffs and seed.</summary>
    public void Read(BinaryReader r)
    {
        _t = r.ReadInt64();
        _stable = r.ReadInt64();
        _state = r.ReadInt32();
        Codec.ReadArrayInto(r, _recent);
        foreach (var learner in _learners) learner.Read(r);
    }

    private double[] PayoffTable(PayoffFunction payoffs)
    {
        var table = new double[Firms * _joints];
        var profits = new double[Firms];
        for (var joint = 0; joint < _joints; joint++)
        {
            payoffs(PricesOf(joint), profits);
            for (var i = 0; i < Firms; i++) table[i * _joints + joint] = profits[i];
        }
        return table;
    }

    private int JointOf(ReadOnlySpan<int> actions) => _learners[0].JointAction(actions);

    private double[] PricesOf(int joint)
    {
        var prices = new double[Firms];
        for (var i = 0; i < Firms; i++, joint /= _m) prices[i] = Price(i, joint % _m);
        return prices;
    }

    private void GreedyActions(int state, Span<int> actions)
    {
        for (var i = 0; i < Firms; i++) actions[i] = _learners[i].Greedy(state);
    }

    private int GreedyJoint(int state)
    {
        Span<int> actions = stackalloc int[Firms];
        GreedyActions(state, actions);
        return JointOf(actions);
    }

    /// <summary>States of the cycle that greedy play from a state ends in (in order of play).</summary>
    private List<int> GreedyCycle(int state)
    {
        var seen = new Dictionary<int, int>();
        var path = new List<int>();
        while (!seen.ContainsKey(state))
        {
            seen[state] = path.Count;
            path.Add(state);
            state = _learners[0].NextState(state, GreedyJoint(state));
        }
        return path[seen[state]..];
    }

    private void Accumulate(int joint, double[] prices, double[] profits)
    {
        for (int i = 0, digits = joint; i < Firms; i++, digits /= _m)
        {
            prices[i] += Price(i, digits % _m);
            profits[i] += Payoff(i, joint);
        }
    }

    private static void Scale(double[] values, int count)
    {
        for (var i = 0; i < values.Length; i++) values[i] = count == 0 ? double.NaN : values[i] / count;
    }

    private double[] ProfitGains(double[] profits) =>
        profits.Select((pi, i) => _nashProfits is null || _monopolyProfits is null
            ? double.NaN
            : LogitCompetition.ProfitGain(pi, _nashProfits[i], _monopolyProfits[i])).ToArray();
}
