using MarketSim.Model.Randomness;

namespace MarketSim.Model.Economics;

/// <summary>
/// Tabular Q-learning over a discrete price grid, after Calvano, Calzolari, Denicolò and Pastorello,
/// "Artificial Intelligence, Algorithmic Pricing, and Collusion" (AER 2020): the state is last period's prices
/// (own and the lowest rival's, as grid indices), the action a grid index; exploration is epsilon-greedy with
/// <c>epsilon = exp(-beta * t)</c>; update <c>Q(s,a) = (1 - alpha) Q(s,a) + alpha (r + delta max Q(s',.))</c>.
/// </summary>
public sealed class QLearner
{
    public int GridSize { get; }
    public double Alpha { get; }
    public double Delta { get; }
    public double Beta { get; }
    private readonly double[] _q;

    public QLearner(int gridSize, double alpha, double delta, double beta)
    {
        GridSize = gridSize;
        Alpha = alpha;
        Delta = delta;
        Beta = beta;
        _q = new double[gridSize * gridSize * gridSize];
    }

    public int StateOf(int ownIndex, int rivalIndex) => ownIndex * GridSize + rivalIndex;

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

    public void Write(BinaryWriter w) => Codec.WriteArray(w, _q);

    public void Read(BinaryReader r) => Codec.ReadArrayInto(r, _q);
}
