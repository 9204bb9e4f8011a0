using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Prediction on the wire: <c>[2, sequence(uint64), timeMs, status, probabilities(bin), anomalyLevel,
/// values(array of float32), flags(fixint)]</c>; version 1 ended after <c>anomalyLevel</c>.
/// </summary>
internal sealed class PredictionFrameFormatter : IFrameFormatter<PredictionFrame>
{
    /// <summary>The largest status value the wire format carries (bits 0–6).</summary>
    internal const byte MaxStatus = FrameFields.MaxFixInt;

    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(
        FrameType.Prediction,
        [FrameFields.Sequence, "timeMs", "status", "probabilities", "anomalyLevel"],
        ["values", FrameFields.Flags]);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The anomaly level, the status or the flags are above 127.</exception>
    public static void Write(ref MessagePackWriter writer, in PredictionFrame frame)
    {
        // These fields are kept to 7 bits so each is always a one-byte fixint: that keeps the frame's size fixed
        // whatever the values, and lets the flags of a stored frame be set in place.
        if ((byte)frame.Status > MaxStatus)
        {
            throw new InvalidOperationException(
                $"Prediction {frame.Sequence}: status 0x{(byte)frame.Status:X2} uses bit 7, which the wire format reserves.");
        }

        if (frame.AnomalyLevel > Quantization.AnomalyScale)
        {
            throw new InvalidOperationException(
                $"Prediction {frame.Sequence}: anomaly level {frame.AnomalyLevel} is above {Quantization.AnomalyScale}; use Quantization.ToAnomalyLevel.");
        }

        Fields.CheckFlags(frame.Flags, frame.Sequence);
        Fields.WriteHeader(ref writer);
        writer.Write(frame.Sequence);
        writer.Write(frame.TimeMs);
        writer.Write((byte)frame.Status);
        writer.Write(frame.Probabilities.Span);
        writer.Write(frame.AnomalyLevel);

        // float32 always (MessagePack's ca), NaN and infinities included: they are valid MessagePack floats.
        ReadOnlySpan<float> values = frame.Values.Span;
        writer.WriteArrayHeader(values.Length);
        foreach (float value in values)
        {
            writer.Write(value);
        }

        writer.Write((byte)frame.Flags);
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out PredictionFrame frame)
    {
        frame = default;
        float[] values = [];
        FrameFlags flags = FrameFlags.None;
        if (!(fields.TryReadUInt64(out ulong sequence)
            && fields.TryReadUInt32(out uint timeMs)
            && fields.TryReadByte(MaxStatus, out byte status)
            && fields.TryReadBinary(out byte[] probabilities)
            && fields.TryReadByte(Quantization.AnomalyScale, out byte anomalyLevel)
            && (fields.AtEnd || fields.TryReadSingleArray(out values))
            && (fields.AtEnd || fields.TryReadFlags(out flags))))
        {
            return false;
        }

        frame = new PredictionFrame
        {
            Sequence = sequence,
            TimeMs = timeMs,
            Status = (PredictionStatus)status,
            Probabilities = probabilities,
            AnomalyLevel = anomalyLevel,
            Values = values,
            Flags = flags,
        };
        return true;
    }
}
