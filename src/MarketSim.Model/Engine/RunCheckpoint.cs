using System.Security.Cryptography;

namespace MarketSim.Model.Engine;

/// <summary>A run's complete state at a tick boundary: the scenario as it stood (with injected events), the market
/// view, and each agent's state bytes. <see cref="Write"/>/<see cref="Read"/> are its binary form between a client
/// and the cluster: a version, the hash of the state records' fields (<see cref="StateRecords.Schema"/>), then the
/// state; <see cref="RunCheckpointFile"/> is its form on disk, with a checksum and the hash of the run's resolved
/// scenario.</summary>
public sealed record RunCheckpoint(int NextTick, string ScenarioJson, byte[] View, byte[][] Providers, byte[][] Blocks) : IWireMessage<RunCheckpoint>
{
    private const int FormatVersion = 2;

    public void Write(BinaryWriter w)
    {
        w.Write("MarketSim checkpoint");
        w.Write(FormatVersion);
        w.Write(StateRecords.SchemaSha256);
        w.Write(NextTick);
        w.Write(ScenarioJson);
        Codec.WriteArray(w, View);
        w.Write(Providers.Length);
        foreach (var p in Providers) Codec.WriteArray(w, p);
        w.Write(Blocks.Length);
        foreach (var b in Blocks) Codec.WriteArray(w, b);
    }

    public static RunCheckpoint Read(BinaryReader r)
    {
        if (r.ReadString() != "MarketSim checkpoint") throw new InvalidDataException("not a MarketSim checkpoint");
        if (r.ReadInt32() is var version && version != FormatVersion)
            throw new InvalidDataException($"state format version {version}; this marketsim reads version {FormatVersion}");
        if (r.ReadString() != StateRecords.SchemaSha256)
            throw new InvalidDataException("its agents' state records have other fields than this marketsim's (it was written by another version)");
        var tick = r.ReadInt32();
        var scenario = r.ReadString();
        var view = Codec.ReadArray<byte>(r);
        var providers = new byte[r.ReadInt32()][];
        for (var i = 0; i < providers.Length; i++) providers[i] = Codec.ReadArray<byte>(r);
        var blocks = new byte[r.ReadInt32()][];
        for (var i = 0; i < blocks.Length; i++) blocks[i] = Codec.ReadArray<byte>(r);
        return new RunCheckpoint(tick, scenario, view, providers, blocks);
    }
}

/// <summary>A checkpoint file could not be used; <see cref="Exception.Message"/> says what is wrong with it (the
/// caller adds the file and the fix).</summary>
public sealed class CheckpointFileException(string problem) : IOException(problem);

/// <summary>
/// A checkpoint on disk (a run folder's checkpoints/tick-NNNNNN.bin):
/// <code>
/// "MarketSim checkpoint file"   magic (BinaryWriter string)
/// int32   format version (3)
/// string  SHA-256 (hex) of the run's resolved scenario (scenario.resolved.yaml of its run folder)
/// byte[32] SHA-256 of the payload
/// int64   payload length
/// payload the <see cref="RunCheckpoint"/> in its binary form
/// </code>
/// Reading checks all of it before decoding the payload, so a truncated, edited or foreign file is refused with what
/// is wrong rather than restored. The checksum detects damage, not tampering: it is not a signature.
/// </summary>
public static class RunCheckpointFile
{
    public const int FormatVersion = 3;
    private const string Magic = "MarketSim checkpoint file";
    private const string PreviousMagic = "MarketSim checkpoint";

    /// <summary>The largest payload a file may declare (a million customers take about 600 MB).</summary>
    public const long MaxPayloadBytes = 8L << 30;

    /// <summary>A checkpoint with the hash of the resolved scenario of the run it belongs to.</summary>
    public sealed record Contents(RunCheckpoint Checkpoint, string ScenarioSha256);

    public static void Write(Stream stream, RunCheckpoint checkpoint, string scenarioSha256)
    {
        var payload = Codec.ToBytes(checkpoint.Write);
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(scenarioSha256);
        w.Write(SHA256.HashData(payload));
        w.Write((long)payload.Length);
        w.Write(payload);
    }

    /// <exception cref="CheckpointFileException">The file is not a checkpoint, of another version, damaged or truncated.</exception>
    public static Contents Read(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            var magic = ReadHeaderString(r);
            if (magic == PreviousMagic)
                throw new CheckpointFileException("format version 1, written by an earlier marketsim without a checksum; this version reads format " +
                    $"{FormatVersion} only");
            if (magic != Magic) throw new CheckpointFileException("not a MarketSim checkpoint file (its header is missing)");
            var version = r.ReadInt32();
            if (version != FormatVersion)
                throw new CheckpointFileException($"format version {version}; this marketsim reads format {FormatVersion}");
            var scenarioSha256 = r.ReadString();
            if (scenarioSha256.Length != 64 || !scenarioSha256.All(char.IsAsciiHexDigitLower))
                throw new CheckpointFileException("damaged header (the scenario hash is not a SHA-256)");
            var checksum = r.ReadBytes(32);
            var length = r.ReadInt64();
            if (checksum.Length != 32 || length < 0 || length > MaxPayloadBytes)
                throw new CheckpointFileException("damaged header (impossible payload length)");
            if (stream.CanSeek && stream.Length - stream.Position != length)
                throw new CheckpointFileException($"truncated or extended: the header announces {length} bytes of state, the file holds {stream.Length - stream.Position}");
            var payload = r.ReadBytes((int)Math.Min(length, int.MaxValue));
            if (payload.Length != length)
                throw new CheckpointFileException($"truncated: the header announces {length} bytes of state, the file holds {payload.Length}");
            if (!SHA256.HashData(payload).AsSpan().SequenceEqual(checksum))
                throw new CheckpointFileException("checksum mismatch: the state was changed or damaged after it was written");
            return new Contents(Decode(payload), scenarioSha256);
        }
        catch (EndOfStreamException)
        {
            throw new CheckpointFileException("truncated: the file ends inside its header");
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or OverflowException)
        {
            throw new CheckpointFileException($"damaged ({e.Message})");
        }
    }

    private static RunCheckpoint Decode(byte[] payload)
    {
        try
        {
            return Codec.FromBytes(payload, RunCheckpoint.Read);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or OverflowException or OutOfMemoryException)
        {
            throw new CheckpointFileException($"the state does not decode ({e.Message})");
        }
    }

    /// <summary>The leading string, read without trusting its length prefix (a foreign file may announce gigabytes).</summary>
    private static string ReadHeaderString(BinaryReader r)
    {
        var length = r.Read7BitEncodedInt();
        if (length is < 0 or > 64) throw new CheckpointFileException("not a MarketSim checkpoint file (its header is missing)");
        var bytes = r.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        return System.Text.Encoding.UTF8.GetString(bytes);
    }
}
