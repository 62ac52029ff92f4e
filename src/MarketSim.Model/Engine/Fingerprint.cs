using System.Security.Cryptography;

namespace MarketSim.Model.Engine;

/// <summary>
/// A SHA-256 over the complete state of a run at a tick boundary: the tick, the market view carried into the
/// next tick, and every agent's state (providers with their contract books and cash, customers with their
/// contracts and balances) in index order. Two runs share it only if their states are identical.
/// </summary>
public static class Fingerprint
{
    /// <summary>Digest of one agent's state bytes.</summary>
    public static byte[] OfState(byte[] state) => SHA256.HashData(state);

    /// <summary>SHA-256 of a text's UTF-8 bytes, in lower-case hex: the scenario hash that run folders, checkpoint files
    /// and a cluster run's record carry.</summary>
    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    public static string Combine(int tick, byte[] viewState, IEnumerable<byte[]> providerDigests, IEnumerable<byte[]> blockDigests)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(tick));
        hash.AppendData(SHA256.HashData(viewState));
        foreach (var d in providerDigests) hash.AppendData(d);
        foreach (var d in blockDigests) hash.AppendData(d);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
