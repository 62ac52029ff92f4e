using System.Reflection;
using System.Runtime.CompilerServices;

namespace MarketSim.Model.Tests.Engine;

/// <summary>The agents' state travels into checkpoints and the fingerprint as the raw memory of struct arrays
/// (<see cref="Codec.WriteArray{T}"/>). That is only a function of the state if the structs have no padding: padding
/// bytes hold whatever was there, so two equal states could hash differently. These structs must stay padding-free
/// (order fields from the widest down when adding one).</summary>
public sealed class StateLayoutTests
{
    private static int SizeOf(Type t) => (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(t).Invoke(null, null)!;

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
    public void A_struct_written_raw_into_the_state_has_no_padding(string name)
    {
        var type = typeof(ProviderAgent).Assembly.GetType(name, throwOnError: true)!;
        var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        Assert.NotEmpty(fields);
        Assert.Equal(fields.Sum(f => SizeOf(f.FieldType)), SizeOf(type));
    }
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
