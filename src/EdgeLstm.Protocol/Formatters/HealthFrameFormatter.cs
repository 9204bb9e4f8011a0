using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Health on the wire: <c>[4, sequence(uint64), timeMs, uptimeSeconds, samplesRead, overruns, channelReadErrors(array),
/// inferenceP50Us, inferenceP99Us, inferenceMaxUs, sendQueueDepth, sendQueueDrops, cpuTemperatureMilliCelsius(int or nil),
/// journalBacklog, journalEvictions(uint64), journalDamaged, flags(fixint), channelReadTimeouts(array), channelNonFinite(array),
/// modelResets, alarmThresholds(array of float32)]</c>; version 1 ended after the temperature, early version-2 senders after the flags.
/// </summary>
internal sealed class HealthFrameFormatter : IFrameFormatter<HealthFrame>
{
    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(
        FrameType.Health,
        [
            FrameFields.Sequence, "timeMs", "uptimeSeconds", "samplesRead", "overruns", "channelReadErrors",
            "inferenceP50Us", "inferenceP99Us", "inferenceMaxUs", "sendQueueDepth", "sendQueueDrops", "cpuTemperatureMilliCelsius",
        ],
        ["journalBacklog", "journalEvictions", "journalDamaged", FrameFields.Flags, "channelReadTimeouts", "channelNonFinite", "modelResets", "alarmThresholds"]);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The flags use bit 7.</exception>
    public static void Write(ref MessagePackWriter writer, in HealthFrame frame)
    {
        Fields.CheckFlags(frame.Flags, frame.Sequence);
        Fields.WriteHeader(ref writer);
        writer.Write(frame.Sequence);
        writer.Write(frame.TimeMs);
        writer.Write(frame.UptimeSeconds);
        writer.Write(frame.SamplesRead);
        writer.Write(frame.Overruns);

        WriteCounts(ref writer, frame.ChannelReadErrors.Span);

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

        writer.Write(frame.JournalBacklog);
        writer.Write(frame.JournalEvictions);
        writer.Write(frame.JournalDamaged);
        writer.Write((byte)frame.Flags);
        WriteCounts(ref writer, frame.ChannelReadTimeouts.Span);
        WriteCounts(ref writer, frame.ChannelNonFinite.Span);
        writer.Write(frame.ModelResets);
        writer.WriteArrayHeader(frame.AlarmThresholds.Length);
        foreach (float threshold in frame.AlarmThresholds.Span)
        {
            writer.Write(threshold);
        }
    }

    private static void WriteCounts(ref MessagePackWriter writer, ReadOnlySpan<uint> counts)
    {
        writer.WriteArrayHeader(counts.Length);
        foreach (uint count in counts)
        {
            writer.Write(count);
        }
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out HealthFrame frame)
    {
        frame = default;
        uint journalBacklog = 0;
        ulong journalEvictions = 0;
        uint journalDamaged = 0;
        FrameFlags flags = FrameFlags.None;
        uint[] timeouts = [], nonFinite = [];
        uint modelResets = 0;
        float[] thresholds = [];
        if (!(fields.TryReadUInt64(out ulong sequence)
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
            && fields.TryReadNullableInt32(out int? temperature)
            && (fields.AtEnd || fields.TryReadUInt32(out journalBacklog))
            && (fields.AtEnd || fields.TryReadUInt64(out journalEvictions))
            && (fields.AtEnd || fields.TryReadUInt32(out journalDamaged))
            && (fields.AtEnd || fields.TryReadFlags(out flags))
            && (fields.AtEnd || fields.TryReadUInt32Array(out timeouts))
            && (fields.AtEnd || fields.TryReadUInt32Array(out nonFinite))
            && (fields.AtEnd || fields.TryReadUInt32(out modelResets))
            && (fields.AtEnd || fields.TryReadSingleArray(out thresholds))))
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
            JournalBacklog = journalBacklog,
            JournalEvictions = journalEvictions,
            JournalDamaged = journalDamaged,
            Flags = flags,
            ChannelReadTimeouts = timeouts,
            ChannelNonFinite = nonFinite,
            ModelResets = modelResets,
            AlarmThresholds = thresholds,
        };
        return true;
    }
}
