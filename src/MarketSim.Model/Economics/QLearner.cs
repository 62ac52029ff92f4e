using MarketSim.Model.Randomness;

namespace MarketSim.Model.Economics;

/// <summary>
/// Tabular Q-learning over a discrete price grid, after Calvano, Calzolari, Denicolò and Pastorello,
/// "Artificial Intelligence, Algorithmic Pricing, and Collusion" (AER 2020): the state is the lowest rival's price
/// of the last period (as a grid index), the action a grid index; exploration is epsilon-greedy with
/// <c>epsilon = exp(-beta * t)</c>, t the periods since the learner was made; update
/// <c>Q(s,a) = (1 - alpha) Q(s,a) + alpha (r + delta max Q(s',.))</c>. Unlike the paper's state (every firm's last
/// price, <see cref="CalvanoQLearner"/>), the learner's own last price is not in it: in the engine its demand
/// answers today's prices, so its own memory would only make the states copies of one problem, each learnt apart
/// (docs/MODEL.md 9.6).
/// </summary>
public sealed class QLearner
{
    public int GridSize { get; }
    public double Alpha { get; }
    public double Delta { get; }
    public double Beta { get; }

    /// <summary>The tick the learner was made: its exploration clock starts there.</summary>
    public int StartTick { get; private set; }

    private readonly double[] _q;

    public QLearner(int gridSize, double alpha, double delta, double beta, int startTick = 0)
    {
        GridSize = gridSize;
        Alpha = alpha;
        Delta = delta;
        Beta = beta;
        StartTick = startTick;
        _q = new double[gridSize * gridSize];
    }

    /// <summary>The state: the lowest rival's grid index last period (0 without a rival).</summary>
    public int StateOf(int rivalIndex) => rivalIndex;

    public double Exploration(int t) => Math.Exp(-Beta * t);

    public int Choose(int state, int t, ref RandomStream rng)
    {
        if (rng.NextDouble() < Exploration(t)) return rng.NextInt(GridSize);
        return Greedy(state);
    }

    public int Greedy(int state)
    {
        var row = state * GridSize;
        var best = 0;
        for (var a = 1; a < GridSize; a++)
            if (_q[row + a] > _q[row + best]) best = a;
        return best;
    }

    /// <summary>Relative spread of the Q-values of a state (<see cref="RelativeSpread"/>).</summary>
    public double Spread(int state) => RelativeSpread(_q.AsSpan(state * GridSize, GridSize));

    /// <summary>Highest less lowest of a row of Q-values over the largest of their magnitudes, 0..2 (0 when all are
    /// 0): how much the learner thinks its choice matters there, as a share of what it expects to earn, so that
    /// learners of any size and reward unit compare.</summary>
    public static double RelativeSpread(ReadOnlySpan<double> row)
    {
        double min = row[0], max = row[0];
        foreach (var q in row)
        {
            min = Math.Min(min, q);
            max = Math.Max(max, q);
        }
        var scale = Math.Max(Math.Abs(min), Math.Abs(max));
        return scale > 0 ? (max - min) / scale : 0;
    }

    public void Learn(int state, int action, double reward, int nextState)
    {
        var next = _q[nextState * GridSize + Greedy(nextState)];
        ref var q = ref _q[state * GridSize + action];
        q = (1 - Alpha) * q + Alpha * (reward + Delta * next);
    }

    /// <summary>Grid of prices spaced evenly between low and high.</summary>
    public static double GridPrice(double low, double high, int gridSize, int index) =>
        gridSize == 1 ? low : low + (high - low) * index / (gridSize - 1);

    /// <summary>Nearest grid index to a price.</summary>
    public static int NearestIndex(double low, double high, int gridSize, double price)
    {
        if (gridSize == 1 || high <= low) return 0;
        var i = (int)Math.Round((price - low) / (high - low) * (gridSize - 1));
        return Math.Clamp(i, 0, gridSize - 1);
    }

    public void Write(BinaryWriter w)
    {
        w.Write(StartTick);
        Codec.WriteArray(w, _q);
    }

    public void Read(BinaryReader r)
    {
        StartTick = r.ReadInt32();
        Codec.ReadArrayInto(r, _q);
    }
}
