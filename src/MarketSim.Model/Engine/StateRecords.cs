using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace MarketSim.Model.Engine;

/// <summary>
/// The plain records (structs of numbers and flags) in the agents' state: customers, a provider's tiers and its GPU
/// orders. Their binary form in checkpoints and in the fingerprint is field-based: an element is its fields in
/// declaration order, each little-endian, with nothing between them, so the bytes hold the state and no padding.
/// They are written as their memory because that memory is exactly this form; <see cref="Layout{T}"/> checks it once
/// per type (sequential layout, no padding, a little-endian machine), and a record that breaks it fails at first use
/// saying what to change, before any checkpoint or fingerprint is made from it.
/// <see cref="Schema"/> names every field of every record; checkpoints carry its hash, so a checkpoint written with
/// other records (another version of marketsim) is refused instead of read as wrong numbers.
/// </summary>
public static class StateRecords
{
    /// <summary>The record types of the agents' state (a new one belongs here).</summary>
    public static IReadOnlyList<Type> Types { get; } = [typeof(CustomerState), .. ProviderAgent.StateRecordTypes];

    /// <summary>"CustomerState(Int64 Balance, ...); ..." for every record type, in the order of <see cref="Types"/>.</summary>
    public static string Schema { get; } = string.Join("; ", Types.Select(Describe));

    /// <summary>The version of the agents' state outside the records (the learners' tables and clocks, written by
    /// their own code): raised whenever that form changes, so that such a change is refused like a changed record.
    /// 2: the adaptive learner keeps its own exploration clock and learns on the rivals' last price alone.</summary>
    public const int StateVersion = 2;

    /// <summary>SHA-256 (hex) of <see cref="StateVersion"/> and <see cref="Schema"/>: checkpoints and cluster runs
    /// carry it.</summary>
    public static string SchemaSha256 { get; } =
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"state {StateVersion}; {Schema}")));

    public static void Write<T>(BinaryWriter w, T[] values) where T : unmanaged
    {
        Layout<T>.Check();
        Codec.WriteArray(w, values);
    }

    public static void Write<T>(BinaryWriter w, List<T> values) where T : unmanaged
    {
        Layout<T>.Check();
        Codec.WriteList(w, values);
    }

    public static void ReadInto<T>(BinaryReader r, T[] target) where T : unmanaged
    {
        Layout<T>.Check();
        Codec.ReadArrayInto(r, target);
    }

    public static List<T> ReadList<T>(BinaryReader r) where T : unmanaged
    {
        Layout<T>.Check();
        return Codec.ReadList<T>(r);
    }

    /// <summary>Why <paramref name="type"/>'s memory is not its field-based form, or null when it is.</summary>
    public static string? LayoutProblem(Type type)
    {
        if (!BitConverter.IsLittleEndian) return "this machine is big-endian; state records are little-endian";
        if (!type.IsLayoutSequential) return $"{type.Name} must have sequential layout ([StructLayout(LayoutKind.Sequential, Pack = 1)])";
        var fields = Fields(type);
        var sum = 0;
        foreach (var f in fields)
        {
            if (!f.FieldType.IsPrimitive && !f.FieldType.IsEnum)
                return $"{type.Name}.{f.Name} is a {f.FieldType.Name}; state records hold numbers and flags only";
            sum += SizeOf(f.FieldType);
        }
        return sum == SizeOf(type) ? null
            : $"{type.Name} takes {SizeOf(type)} bytes for {sum} bytes of fields: give it [StructLayout(LayoutKind.Sequential, Pack = 1)] so that no padding enters checkpoints and the fingerprint";
    }

    private static string Describe(Type type) =>
        $"{type.Name}({string.Join(", ", Fields(type).Select(f => $"{(f.FieldType.IsEnum ? Enum.GetUnderlyingType(f.FieldType) : f.FieldType).Name} {f.Name}"))})";

    /// <summary>The instance fields in declaration order.</summary>
    private static FieldInfo[] Fields(Type type) =>
        [.. type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(f => f.MetadataToken)];

    private static int SizeOf(Type t) =>
        (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(t).Invoke(null, null)!;

    private static class Layout<T> where T : unmanaged
    {
        private static readonly string? Problem = LayoutProblem(typeof(T));

        public static void Check()
        {
            if (Problem is not null) throw new InvalidOperationException($"state record {typeof(T).Name}: {Problem}");
        }
    }
}
