using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Health on the wire: <c>[4, sequence, timeMs, uptimeSeconds, samplesRead, overruns, channelReadErrors(array),
/// inferenceP50Us, inferenceP99Us, inferenceMaxUs, sendQueueDepth, sendQueueDrops, cpuTemperatureMilliCelsius(int or nil)]</c>.
/// </summary>
internal sealed class HealthFrameFormatter : IFrameFormatter<HealthFrame>
{
    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(
        FrameType.Health,
        [
            "sequence", "timeMs", "uptimeSeconds", "samplesRead", "overruns", "channelReadErrors",
            "inferenceP50Us", "inferenceP99Us", "inferenceMaxUs", "sendQueueDepth", "sendQueueDrops", "cpuTemperatureMilliCelsius",
        ]);

    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, in HealthFrame frame)
    {
        Fields.WriteHeader(ref writer);
        writer.Write(frame.Sequence);
        writer.Write(frame.TimeMs);
        writer.Write(frame.UptimeSeconds);
        writer.Write(frame.SamplesRead);
        writer.Write(frame.Overruns);

        ReadOnlySpan<uint> errors = frame.ChannelReadErrors.Span;
        writer.WriteArrayHeader(errors.Length);
        foreach (uint count in errors)
        {
            writer.Write(count);
        }

        writer.Write(frame.InferenceP50Us);
        writer.Write(frame.InferenceP99Us);
        writer.Write(frame.InferenceMaxUs);
        writer.Write(frame.SendQueueDepth);
        writer.Write(frame.SendQueueDrops);
        if (frame.CpuTemperatureMilliCelsius is int temperature)
        {
            writer.Write(temperature);
        }
        else
        {
            writer.WriteNil();
        }
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out HealthFrame frame)
    {
        frame = default;
        if (!(fields.TryReadUInt32(out uint sequence)
            && fields.TryReadUInt32(out uint timeMs)
            && fields.TryReadUInt32(out uint uptimeSeconds)
            && fields.TryReadUInt64(out ulong samplesRead)
            && fields.TryReadUInt32(out uint overruns)
            && fields.TryReadUInt32Array(out uint[] channelReadErrors)
            && fields.TryReadUInt32(out uint p50)
            && fields.TryReadUInt32(out uint p99)
            && fields.TryReadUInt32(out uint max)
            && fields.TryReadUInt32(out uint queueDepth)
            && fields.TryReadUInt32(out uint queueDrops)
            && fields.TryReadNullableInt32(out int? temperature)))
        {
            return false;
        }

        frame = new HealthFrame
        {
            Sequence = sequence,
            TimeMs = timeMs,
            UptimeSeconds = uptimeSeconds,
            SamplesRead = samplesRead,
            Overruns = overruns,
            ChannelReadErrors = channelReadErrors,
            InferenceP50Us = p50,
            InferenceP99Us = p99,
            InferenceMaxUs = max,
            SendQueueDepth = queueDepth,
            SendQueueDrops = queueDrops,
            CpuTemperatureMilliCelsius = temperature,
        };
        return true;
    }
}
