using System.Reflection;
using System.Runtime.CompilerServices;

namespace MarketSim.Model.Tests.Engine;

/// <summary>The agents' state records travel into checkpoints and the fingerprint in their field-based form (each
/// element its fields in declaration order, nothing between them), written as their memory, which is only that form
/// when the structs have no padding (<see cref="StateRecords"/>).</summary>
public sealed class StateLayoutTests
{
    // The struct arrays CustomerBlock.Write and ProviderAgent.Write put into the state (a new one belongs here).
    private static readonly string[] Checked =
    [
        "MarketSim.Model.Engine.CustomerState",
        "MarketSim.Model.Engine.ProviderAgent+TierState",
        "MarketSim.Model.Engine.ProviderAgent+GpuOrder",
    ];

    public static TheoryData<string> StateStructs => new(Checked);

    [Theory]
    [MemberData(nameof(StateStructs))]
    public void A_struct_written_into_the_state_is_exactly_its_fields(string name)
    {
        var type = typeof(ProviderAgent).Assembly.GetType(name, throwOnError: true)!;
        Assert.Null(StateRecords.LayoutProblem(type));
        var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        Assert.NotEmpty(fields);
        Assert.Equal(fields.Sum(f => SizeOf(f.FieldType)), SizeOf(type));
    }

    [Fact]
    public void The_state_records_are_the_ones_the_agents_write_and_the_schema_names_each_field()
    {
        Assert.Equal(Checked, StateRecords.Types.Select(t => t.FullName));
        foreach (var type in StateRecords.Types)
            foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                Assert.Contains($" {f.Name}", StateRecords.Schema);
        Assert.StartsWith("CustomerState(", StateRecords.Schema);
        Assert.Equal(64, StateRecords.SchemaSha256.Length);
    }

    private struct Padded(bool flag, long value)
    {
        public bool Flag = flag;
        public long Value = value;
    }

    [Fact]
    public void A_record_with_padding_is_refused_with_the_fix()
    {
        var problem = StateRecords.LayoutProblem(typeof(Padded));
        Assert.NotNull(problem);
        Assert.Contains("16 bytes for 9 bytes of fields", problem);
        Assert.Contains("Pack = 1", problem);
        var e = Assert.Throws<InvalidOperationException>(() => Codec.ToBytes(w => StateRecords.Write(w, new[] { new Padded(true, 1) })));
        Assert.Contains("state record Padded", e.Message);
    }

    [Fact]
    public void A_checkpoint_whose_state_records_have_other_fields_is_refused()
    {
        var checkpoint = new RunCheckpoint(3, "{}", [1, 2], [[3]], [[4]]);
        var bytes = Codec.ToBytes(checkpoint.Write);
        Assert.Equal(3, Codec.FromBytes(bytes, RunCheckpoint.Read).NextTick);
        // The schema hash follows the magic and the version; another version's records give another hash.
        var at = System.Text.Encoding.UTF8.GetString(bytes).IndexOf(StateRecords.SchemaSha256, StringComparison.Ordinal);
        Assert.True(at > 0);
        bytes[at] = (byte)(bytes[at] == (byte)'0' ? '1' : '0');
        var e = Assert.Throws<InvalidDataException>(() => Codec.FromBytes(bytes, RunCheckpoint.Read));
        Assert.Contains("other fields", e.Message);
    }

    private static int SizeOf(Type t) => (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(t).Invoke(null, null)!;
}

/// <summary>A provider's pricing (it can change mid-run, by a strategy-change event) is part of its state: every field
/// of <see cref="PricingSpec"/> and its <see cref="LearnerSpec"/> must survive <see cref="PricingCodec"/>, or a
/// checkpoint would silently drop it.</summary>
public sealed class PricingCodecTests
{
    private static void Fill(object target, ref int seed)
    {
        foreach (var p in target.GetType().GetProperties().Where(p => p.CanWrite))
        {
            seed++;
            if (p.PropertyType == typeof(double)) p.SetValue(target, 1000.25 + seed);
            else if (p.PropertyType == typeof(int)) p.SetValue(target, 1000 + seed);
            else if (p.PropertyType == typeof(string)) p.SetValue(target, $"value-{seed}");
            else if (p.PropertyType == typeof(LearnerSpec)) { var l = new LearnerSpec(); Fill(l, ref seed); p.SetValue(target, l); }
            else Assert.Fail($"{target.GetType().Name}.{p.Name}: a {p.PropertyType.Name}, which this test does not fill yet");
        }
    }

    private static IEnumerable<(string Name, object? Value)> Values(object source) =>
        source.GetType().GetProperties().SelectMany(p => p.PropertyType == typeof(LearnerSpec)
            ? Values(p.GetValue(source)!).Select(v => ($"{p.Name}.{v.Name}", v.Value))
            : [(p.Name, p.GetValue(source))]);

    [Fact]
    public void Every_field_of_a_pricing_survives_the_codec()
    {
        var pricing = new PricingSpec();
        var seed = 0;
        Fill(pricing, ref seed);
        var back = Codec.FromBytes(Codec.ToBytes(w => PricingCodec.Write(w, pricing)), PricingCodec.Read);
        var expected = Values(pricing).ToList();
        Assert.True(expected.Count >= 15, $"only {expected.Count} fields found");
        Assert.Equal(expected, Values(back).ToList());
    }
}
