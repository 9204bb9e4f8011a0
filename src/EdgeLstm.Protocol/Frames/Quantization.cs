namespace EdgeLstm.Protocol;

/// <summary>
/// The lossy conversions between model outputs and their wire form. Probabilities travel as one byte in steps of
/// 1/255; the anomaly score travels as 0…127 in steps of 1/127 so it always fits a one-byte MessagePack fixint.
/// </summary>
public static class Quantization
{
    /// <summary>The wire value that stands for probability 1.0.</summary>
    public const byte ProbabilityScale = 255;

    /// <summary>The wire value that stands for anomaly score 1.0.</summary>
    public const byte AnomalyScale = 127;

    /// <summary>Converts a probability to its wire byte: clamped to [0, 1], rounded to the nearest 1/255; NaN becomes 0.</summary>
    /// <param name="probability">The model's probability or 0…1 score.</param>
    /// <returns>The wire byte.</returns>
    public static byte ToProbabilityByte(float probability) => Quantize(probability, ProbabilityScale);

    /// <summary>Converts a wire byte back to a probability (value / 255).</summary>
    /// <param name="wire">The wire byte.</param>
    /// <returns>The probability in [0, 1].</returns>
    public static float FromProbabilityByte(byte wire) => wire / (float)ProbabilityScale;

    /// <summary>Quantizes every probability of <paramref name="probabilities"/> into <paramref name="destination"/>.</summary>
    /// <param name="probabilities">The model's per-class probabilities.</param>
    /// <param name="destination">A caller-owned span at least as long as <paramref name="probabilities"/>.</param>
    /// <exception cref="ArgumentException">The destination is shorter than the source.</exception>
    public static void ToProbabilityBytes(ReadOnlySpan<float> probabilities, Span<byte> destination)
    {
        if (destination.Length < probabilities.Length)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} bytes but there are {probabilities.Length} probabilities.",
                nameof(destination));
        }

        for (int i = 0; i < probabilities.Length; i++)
        {
            destination[i] = ToProbabilityByte(probabilities[i]);
        }
    }

    /// <summary>Converts an anomaly score to its wire level: clamped to [0, 1], rounded to the nearest 1/127; NaN becomes 0.</summary>
    /// <param name="score">The anomaly score, 0 = normal, 1 = most anomalous.</param>
    /// <returns>The wire level 0…127.</returns>
    public static byte ToAnomalyLevel(float score) => Quantize(score, AnomalyScale);

    /// <summary>Converts a wire anomaly level back to a score (level / 127).</summary>
    /// <param name="level">The wire level 0…127.</param>
    /// <returns>The anomaly score.</returns>
    public static float FromAnomalyLevel(byte level) => level / (float)AnomalyScale;

    private static byte Quantize(float value, byte scale)
    {
        // NaN compares false everywhere, so it falls through to 0 rather than poisoning the frame.
        if (!(value > 0f))
        {
            return 0;
        }

        return value >= 1f ? scale : (byte)MathF.Round(value * scale, MidpointRounding.AwayFromZero);
    }
}
