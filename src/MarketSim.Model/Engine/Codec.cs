using System.Runtime.InteropServices;

namespace MarketSim.Model;

/// <summary>Compact binary encoding shared by messages between agents, checkpoints and the fingerprint.</summary>
public static class Codec
{
    public static void WriteArray<T>(BinaryWriter w, T[] values) where T : unmanaged
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    public static T[] ReadArray<T>(BinaryReader r) where T : unmanaged
    {
        var n = r.ReadInt32();
        var values = new T[n];
        ReadExactly(r, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    public static void ReadArrayInto<T>(BinaryReader r, T[] target) where T : unmanaged
    {
        var n = r.ReadInt32();
        if (n != target.Length) throw new InvalidDataException($"expected {target.Length} values, found {n}");
        ReadExactly(r, MemoryMarshal.AsBytes(target.AsSpan()));
    }

    public static void WriteList<T>(BinaryWriter w, List<T> values) where T : unmanaged
    {
        w.Write(values.Count);
        w.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(values)));
    }

    public static List<T> ReadList<T>(BinaryReader r) where T : unmanaged => [.. ReadArray<T>(r)];

    private static void ReadExactly(BinaryReader r, Span<byte> target)
    {
        var read = 0;
        while (read < target.Length)
        {
            var n = r.Read(target[read..]);
            if (n == 0) throw new EndOfStreamException();
            read += n;
        }
    }

    public static byte[] ToBytes(Action<BinaryWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms)) write(w);
        return ms.ToArray();
    }

    public static T FromBytes<T>(byte[] bytes, Func<BinaryReader, T> read)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        return read(r);
    }

    /// <summary>The length in bytes of what <paramref name="write"/> writes (a message's binary form), counted without
    /// keeping it: arrays of values count in one step, so this costs far less than encoding.</summary>
    public static long SizeOf(Action<BinaryWriter> write)
    {
        var writer = s_counter ??= new BinaryWriter(new CountingStream());
        var stream = (CountingStream)writer.BaseStream;
        stream.Reset();
        write(writer);
        writer.Flush();
        return stream.Length;
    }

    [ThreadStatic] private static BinaryWriter? s_counter;

    /// <summary>A stream that keeps nothing and counts what is written to it.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public void Reset() => _length = 0;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override void WriteByte(byte value) => _length++;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>A message between agents (or between a run and its client) with a binary form that round-trips every
/// value exactly. Senders never change a message after handing it over, so a message can be shared instead of copied
/// where sender and receiver share a process.</summary>
public interface IWireMessage<TSelf> where TSelf : class, IWireMessage<TSelf>
{
    void Write(BinaryWriter w);

    static abstract TSelf Read(BinaryReader r);
}
