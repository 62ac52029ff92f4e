namespace MarketSim.Grains;

/// <summary>Grain keys carry the run id, so several runs share a cluster.</summary>
public static class AgentKeys
{
    public static string Of(string runId, int index) => $"{runId}/{index}";
}
