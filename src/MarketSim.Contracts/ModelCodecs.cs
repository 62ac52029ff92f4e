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

/// <summary>The contract requests addressed to one provider, in customer order, as one message (an array of them
/// would be written element by element by Orleans' array codec).</summary>
public sealed class ContractRequests(ContractRequest[] items) : IWireMessage<ContractRequests>
{
    public ContractRequest[] Items { get; } = items;

    public void Write(BinaryWriter w) => Codec.WriteArray(w, Items);

    public static ContractRequests Read(BinaryReader r) => new(Codec.ReadArray<ContractRequest>(r));
}

[RegisterSerializer, RegisterCopier] public sealed class ContractRequestsCodec : WireMessageCodec<ContractRequests>;
