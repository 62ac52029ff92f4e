using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace MarketSim.Contracts;

// Orleans codecs for the model's messages, so that grain interfaces take and return the model's own types while the
// model stays free of Orleans. On the wire a message is one length-prefixed field holding its binary form
// (IWireMessage.Write/Read, which round-trips every value bit for bit). Within a silo a message is handed over as it
// is, not copied: senders never change a message after sending it (the reference engine shares the same objects
// between its agents), so the copy would buy nothing.

/// <summary>Codec and copier of a model message type.</summary>
public abstract class WireMessageCodec<T> : IFieldCodec<T>, IDeepCopier<T>, IOptionalDeepCopier where T : class, IWireMessage<T>
{
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, [AllowNull] Type expectedType, [AllowNull] T value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value)) return;
        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(T), WireType.LengthPrefixed);
        var bytes = Codec.ToBytes(value.Write);
        writer.WriteVarUInt32((uint)bytes.Length);
        writer.Write(bytes);
    }

    [return: MaybeNull]
    public T ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference) return ReferenceCodec.ReadReference<T, TInput>(ref reader, field);
        field.EnsureWireType(WireType.LengthPrefixed);
        var bytes = reader.ReadBytes(reader.ReadVarUInt32());
        var value = Codec.FromBytes(bytes, T.Read);
        ReferenceCodec.RecordObject(reader.Session, value);
        return value;
    }

    public T? DeepCopy(T? input, CopyContext context) => input;

    public bool IsShallowCopyable() => true;
}

[RegisterSerializer, RegisterCopier] public sealed class MarketViewCodec : WireMessageCodec<MarketView>;
[RegisterSerializer, RegisterCopier] public sealed class QuoteBoardCodec : WireMessageCodec<QuoteBoard>;
[RegisterSerializer, RegisterCopier] public sealed class ProviderPlanCodec : WireMessageCodec<ProviderPlan>;
[RegisterSerializer, RegisterCopier] public sealed class NegotiationBatchCodec : WireMessageCodec<NegotiationBatch>;
[RegisterSerializer, RegisterCopier] public sealed class DemandReportCodec : WireMessageCodec<DemandReport>;
[RegisterSerializer, RegisterCopier] public sealed class FillsCodec : WireMessageCodec<Fills>;
[RegisterSerializer, RegisterCopier] public sealed class UsageReportCodec : WireMessageCodec<UsageReport>;
[RegisterSerializer, RegisterCopier] public sealed class ProviderUsageCodec : WireMessageCodec<ProviderUsage>;
[RegisterSerializer, RegisterCopier] public sealed class ProviderReportCodec : WireMessageCodec<ProviderReport>;
[RegisterSerializer, RegisterCopier] public sealed class TickObservationCodec : WireMessageCodec<TickObservation>;
[RegisterSerializer, RegisterCopier] public sealed class RunCheckpointCodec : WireMessageCodec<RunCheckpoint>;

/// <summary>A list of model messages as one message (Orleans' array codec would write it element by element).</summary>
public abstract class WireList<T>(T[] items) where T : class, IWireMessage<T>
{
    public T[] Items { get; } = items;

    public void Write(BinaryWriter w)
    {
        w.Write(Items.Length);
        foreach (var item in Items) item.Write(w);
    }

    protected static T[] ReadItems(BinaryReader r)
    {
        var items = new T[r.ReadInt32()];
        for (var i = 0; i < items.Length; i++) items[i] = T.Read(r);
        return items;
    }
}

/// <summary>A tick run whole by a run's one agent group: its observation and the view the next tick plans from.</summary>
public sealed class TickRun(TickObservation observation, MarketView view) : IWireMessage<TickRun>
{
    public TickObservation Observation { get; } = observation;
    public MarketView View { get; } = view;

    public void Write(BinaryWriter w)
    {
        Observation.Write(w);
        View.Write(w);
    }

    public static TickRun Read(BinaryReader r) => new(TickObservation.Read(r), MarketView.Read(r));
}

/// <summary>A group's providers' plans, in provider order.</summary>
public sealed class ProviderPlans(ProviderPlan[] items) : WireList<ProviderPlan>(items), IWireMessage<ProviderPlans>
{
    public static ProviderPlans Read(BinaryReader r) => new(ReadItems(r));
}

/// <summary>A group's providers' usage, in provider order.</summary>
public sealed class ProviderUsages(ProviderUsage[] items) : WireList<ProviderUsage>(items), IWireMessage<ProviderUsages>
{
    public static ProviderUsages Read(BinaryReader r) => new(ReadItems(r));
}

/// <summary>A group's providers' reports, in provider order.</summary>
public sealed class ProviderReports(ProviderReport[] items) : WireList<ProviderReport>(items), IWireMessage<ProviderReports>
{
    public static ProviderReports Read(BinaryReader r) => new(ReadItems(r));
}

/// <summary>One array of plain values per provider of a group, as one message.</summary>
public abstract class PerProvider<T>(T[][] byProvider) where T : unmanaged
{
    public T[][] ByProvider { get; } = byProvider;

    public void Write(BinaryWriter w)
    {
        w.Write(ByProvider.Length);
        foreach (var values in ByProvider) Codec.WriteArray(w, values);
    }

    protected static T[][] ReadItems(BinaryReader r)
    {
        var items = new T[r.ReadInt32()][];
        for (var i = 0; i < items.Length; i++) items[i] = Codec.ReadArray<T>(r);
        return items;
    }
}

/// <summary>The contract requests addressed to each provider of a group, in customer order (empty: none).</summary>
public sealed class GroupRequests(ContractRequest[][] byProvider) : PerProvider<ContractRequest>(byProvider), IWireMessage<GroupRequests>
{
    public static GroupRequests Read(BinaryReader r) => new(ReadItems(r));
}

/// <summary>Each provider of a group's decisions, one flag per request (empty: it was not asked).</summary>
public sealed class GroupDecisions(bool[][] byProvider) : PerProvider<bool>(byProvider), IWireMessage<GroupDecisions>
{
    public static GroupDecisions Read(BinaryReader r) => new(ReadItems(r));
}

[RegisterSerializer, RegisterCopier] public sealed class TickRunCodec : WireMessageCodec<TickRun>;
[RegisterSerializer, RegisterCopier] public sealed class ProviderPlansCodec : WireMessageCodec<ProviderPlans>;
[RegisterSerializer, RegisterCopier] public sealed class ProviderUsagesCodec : WireMessageCodec<ProviderUsages>;
[RegisterSerializer, RegisterCopier] public sealed class ProviderReportsCodec : WireMessageCodec<ProviderReports>;
[RegisterSerializer, RegisterCopier] public sealed class GroupRequestsCodec : WireMessageCodec<GroupRequests>;
[RegisterSerializer, RegisterCopier] public sealed class GroupDecisionsCodec : WireMessageCodec<GroupDecisions>;
