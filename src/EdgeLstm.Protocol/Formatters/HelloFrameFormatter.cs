using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Hello on the wire: <c>[1, protocolVersion, deviceId, firmwareVersion, modelId, channelNames(array of str),
/// outputLabels(array of str), sampleRateHz(float32), epochUnixMs, sessionId(uint64), sequence(uint64)]</c>; version 1
/// ended after <c>epochUnixMs</c>.
/// </summary>
internal sealed class HelloFrameFormatter : IFrameFormatter<HelloFrame>
{
    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(
        FrameType.Hello,
        ["protocolVersion", "deviceId", "firmwareVersion", "modelId", "channelNames", "outputLabels", "sampleRateHz", "epochUnixMs"],
        ["sessionId", FrameFields.Sequence]);

    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, in HelloFrame frame)
    {
        Fields.WriteHeader(ref writer);
        writer.Write(frame.ProtocolVersion);
        writer.Write(frame.DeviceId ?? string.Empty);
        writer.Write(frame.FirmwareVersion ?? string.Empty);
        writer.Write(frame.ModelId ?? string.Empty);
        WriteStrings(ref writer, frame.ChannelNames);
        WriteStrings(ref writer, frame.OutputLabels);
        writer.Write(frame.SampleRateHz);
        writer.Write(frame.EpochUnixMs);
        writer.Write(frame.SessionId);
        writer.Write(frame.Sequence);
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out HelloFrame frame)
    {
        frame = default;
        ulong sessionId = 0;
        ulong sequence = 0;
        if (!(fields.TryReadUInt16(out ushort version)
            && fields.TryReadString(out string deviceId)
            && fields.TryReadString(out string firmwareVersion)
            && fields.TryReadString(out string modelId)
            && fields.TryReadStringArray(out string[] channelNames)
            && fields.TryReadStringArray(out string[] outputLabels)
            && fields.TryReadSingle(out float sampleRateHz)
            && fields.TryReadUInt64(out ulong epochUnixMs)
            && (fields.AtEnd || fields.TryReadUInt64(out sessionId))
            && (fields.AtEnd || fields.TryReadUInt64(out sequence))))
        {
            return false;
        }

        frame = new HelloFrame
        {
            ProtocolVersion = version,
            DeviceId = deviceId,
            FirmwareVersion = firmwareVersion,
            ModelId = modelId,
            ChannelNames = channelNames,
            OutputLabels = outputLabels,
            SampleRateHz = sampleRateHz,
            EpochUnixMs = epochUnixMs,
            SessionId = sessionId,
            Sequence = sequence,
        };
        return true;
    }

    private static void WriteStrings(ref MessagePackWriter writer, IReadOnlyList<string>? values)
    {
        int count = values?.Count ?? 0;
        writer.WriteArrayHeader(count);
        for (int i = 0; i < count; i++)
        {
            writer.Write(values![i] ?? string.Empty);
        }
    }
}
