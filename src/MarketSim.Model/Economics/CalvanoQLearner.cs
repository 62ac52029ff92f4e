using MarketSim.Model.Randomness;

namespace MarketSim.Model.Economics;

/// <summary>
/// The Q-learner of Calvano, Calzolari, Denicolò and Pastorello, "Artificial Intelligence, Algorithmic Pricing, and
/// Collusion" (AER 2020): one of n firms choosing a price index on a grid of m prices; the state is the
/// last k periods' price indexes of all n firms (<c>m^(n k)</c> states, the same state for every firm);
/// exploration is epsilon-greedy with <c>epsilon_t = exp(-beta t)</c>; the update is
/// <c>Q(s,a) = (1 - alpha) Q(s,a) + alpha (pi + delta max_a' Q(s',a'))</c>. Q starts at the discounted payoff of each
/// action against rivals who randomise uniformly. Ties go to the lowest index, as the paper's MAXLOC.
/// The learner keeps its greedy action per state, so the greedy action and <c>max Q(s',.)</c> are read in O(1),
/// and its own sequential random stream (SplitMix64), so a checkpoint holds all it needs to continue exactly.
/// </summary>
public sealed class CalvanoQLearner
{
    public int Firms { get; }
    public int GridSize { get; }
    public int Memory { get; }
    public double Alpha { get; }
    public double Discount { get; }
    public int StateCount { get; }

    private readonly double[] _q;
    private readonly int[] _greedy;
    private readonly int _joints;      // m^n
    private readonly int _olderStates; // m^(n (k - 1))
    private ulong _rng;

    /// <param name="firms">n, the firms whose prices make the state.</param>
    /// <param name="gridSize">m, the prices on the grid.</param>
    /// <param name="memory">k, the past periods in the state.</param>
    /// <param name="alpha">Learning rate.</param>
    /// <param name="discount">Discount factor delta.</param>
    /// <param name="initialQ">Q0 of each action (length m), the same in every state; see <see cref="InitialQ"/>.</param>
    /// <param name="randomState">Start of the learner's random stream.</param>
    public CalvanoQLearner(int firms, int gridSize, int memory, double alpha, double discount,
        ReadOnlySpan<double> initialQ, ulong randomState)
    {
        if (initialQ.Length != gridSize) throw new ArgumentException("one initial value per action", nameof(initialQ));
        ArgumentOutOfRangeException.ThrowIfNegative(memory);
        Firms = firms;
        GridSize = gridSize;
        Memory = memory;
        Alpha = alpha;
        Discount = discount;
        StateCount = StateCountOf(firms, gridSize, memory);
        _joints = StateCountOf(firms, gridSize, 1);
        _olderStates = StateCountOf(firms, gridSize, memory - 1);
        _q = new double[StateCount * gridSize];
        _greedy = new int[StateCount];
        for (var s = 0; s < StateCount; s++) initialQ.CopyTo(_q.AsSpan(s * gridSize, gridSize));
        var first = ArgMax(initialQ);
        Array.Fill(_greedy, first);
        _rng = randomState;
    }

    /// <summary>Number of states <c>m^(n k)</c>.</summary>
    public static int StateCountOf(int firms, int gridSize, int memory)
    {
        long count = 1;
        for (var i = 0; i < firms * memory; i++)
        {
            count *= gridSize;
            if (count > int.MaxValue / gridSize) throw new ArgumentOutOfRangeException(nameof(memory), "too many states");
        }
        return (int)count;
    }

    /// <summary>Exploration rate <c>epsilon_t = exp(-beta t)</c> (Calvano et al. 2020).</summary>
    public static double Exploration(double beta, long t) => Math.Exp(-beta * t);

    /// <summary>
    /// Initial Q of each of firm i's actions (Calvano et al. 2020): the discounted payoff against rivals who
    /// randomise uniformly, <c>Q0(s, a_i) = sum_{a_-i} pi_i(a_i, a_-i) / ((1 - delta) m^(n-1))</c>.
    /// </summary>
    /// <param name="payoffs">pi_i of every joint action, indexed <c>sum_j a_j m^j</c> (length m^n).</param>
    /// <param name="firm">i.</param>
    /// <param name="firms">n.</param>
    /// <param name="gridSize">m.</param>
    /// <param name="discount">delta.</param>
    /// <param name="q0">Receives Q0 of each action (length m).</param>
    public static void InitialQ(ReadOnlySpan<double> payoffs, int firm, int firms, int gridSize, double discount, Span<double> q0)
    {
        q0.Clear();
        var place = 1;
        for (var j = 0; j < firm; j++) place *= gridSize;
        for (var joint = 0; joint < payoffs.Length; joint++) q0[joint / place % gridSize] += payoffs[joint];
        var rivalProfiles = payoffs.Length / gridSize; // m^(n-1)
        for (var a = 0; a < gridSize; a++) q0[a] /= (1 - discount) * rivalProfiles;
    }

    public double Q(int state, int action) => _q[state * GridSize + action];

    /// <summary>Relative spread of the Q-values of a state (<see cref="QLearner.RelativeSpread"/>).</summary>
    public double Spread(int state) => QLearner.RelativeSpread(_q.AsSpan(state * GridSize, GridSize));

    /// <summary>The greedy (highest-Q, lowest index on ties) action in a state.</summary>
    public int Greedy(int state) => _greedy[state];

    /// <summary>Epsilon-greedy choice: with probability epsilon an action drawn uniformly, else the greedy one.</summary>
    public int Choose(int state, double epsilon) =>
        NextUniform() < epsilon ? RandomAction() : _greedy[state];

    /// <summary>An action drawn uniformly from the learner's stream.</summary>
    public int RandomAction() => (int)(NextUniform() * GridSize);

    /// <summary>The Q-learning update <c>Q(s,a) = (1 - alpha) Q(s,a) + alpha (pi + delta max_a' Q(s',a'))</c>; returns whether the greedy action of <paramref name="state"/> changed.</summary>
    public bool Learn(int state, int action, double reward, int nextState)
    {
        var row = state * GridSize;
        var next = _q[nextState * GridSize + _greedy[nextState]];
        ref var q = ref _q[row + action];
        var old = q;
        q = (1 - Alpha) * q + Alpha * (reward + Discount * next);
        var greedy = _greedy[state];
        if (action == greedy)
        {
            // The greedy action stays the first maximum unless its value fell.
            if (q >= old) return false;
            var after = ArgMax(_q.AsSpan(row, GridSize));
            _greedy[state] = after;
            return after != greedy;
        }
        if (q > _q[row + greedy] || (q == _q[row + greedy] && action < greedy))
        {
            _greedy[state] = action;
            return true;
        }
        return false;
    }

    /// <summary>Index <c>sum_j a_j m^j</c> of a joint action (one action per firm).</summary>
    public int JointAction(ReadOnlySpan<int> actions)
    {
        var joint = 0;
        for (var i = actions.Length - 1; i >= 0; i--) joint = joint * GridSize + actions[i];
        return joint;
    }

    /// <summary>The state after a period: the oldest period's prices drop out, the joint action of the period
    /// comes in (for k = 1 the state is the joint action itself; for k = 0 there is one state, 0).</summary>
    public int NextState(int state, int jointAction) =>
        Memory == 0 ? 0 : state % _olderStates * _joints + jointAction;

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var a = 1; a < values.Length; a++)
            if (values[a] > values[best]) best = a;
        return best;
    }

    /// <summary>Uniform in [0, 1) from the learner's SplitMix64 stream (the same mapping as
    /// <see cref="RandomStream.NextDouble"/>).</summary>
    private double NextUniform() => (RandomStream.SplitMix64(ref _rng) >> 11) * (1.0 / (1UL << 53));

    public void Write(BinaryWriter w)
    {
        Codec.WriteArray(w, _q);
        Codec.WriteArray(w, _greedy);
        w.Write(_rng);
    }

    public void Read(BinaryReader r)
    {
        Codec.ReadArrayInto(r, _q);
        Codec.ReadArrayInto(r, _greedy);
        _rng = r.ReadUInt64();
    }
}
