namespace MarketSim.Model.Engine;

/// <summary>An agent whose complete state can be written and read back bit for bit (checkpoints, fingerprints).</summary>
public interface IAgentState
{
    void Write(BinaryWriter w);
    void Read(BinaryReader r);
}
