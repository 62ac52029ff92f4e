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
