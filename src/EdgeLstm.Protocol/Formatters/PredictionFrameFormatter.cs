using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>Prediction on the wire: <c>[2, sequence, timeMs, status, probabilities(bin), anomalyLevel]</c>.</summary>
internal sealed class PredictionFrameFormatter : IFrameFormatter<PredictionFrame>
{
    /// <summary>The largest status value the wire format carries (bits 0–6).</summary>
    internal const byte MaxStatus = 0x7F;

    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(
        FrameType.Prediction,
        ["sequence", "timeMs", "status", "probabilities", "anomalyLevel"]);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The anomaly level or the status is above 127.</exception>
    public static void Write(ref MessagePackWriter writer, in PredictionFrame frame)
    {
        // Both fields are kept to 7 bits so each is always a one-byte fixint: that keeps 4 classes within 24 bytes.
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

        Fields.WriteHeader(ref writer);
        writer.Write(frame.Sequence);
        writer.Write(frame.TimeMs);
        writer.Write((byte)frame.Status);
        writer.Write(frame.Probabilities.Span);
        writer.Write(frame.AnomalyLevel);
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out PredictionFrame frame)
    {
        frame = default;
        if (!(fields.TryReadUInt32(out uint sequence)
            && fields.TryReadUInt32(out uint timeMs)
            && fields.TryReadByte(MaxStatus, out byte status)
            && fields.TryReadBinary(out byte[] probabilities)
            && fields.TryReadByte(Quantization.AnomalyScale, out byte anomalyLevel)))
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
        };
        return true;
    }
}
