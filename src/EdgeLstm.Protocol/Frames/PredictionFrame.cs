using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// One model output. Wire format: <c>PredictionFrameFormatter</c>, docs/protocol.md § 2.
/// </summary>
/// <remarks>
/// A struct over caller-owned arrays, so the runtime can keep one <c>byte[]</c> (and one <c>float[]</c> of values)
/// per model, refill them every sample (<see cref="Quantization.ToProbabilityBytes"/>) and encode without allocating.
/// </remarks>
public readonly struct PredictionFrame : IWireFrame
{
    /// <summary>
    /// The board's frame counter, shared by every frame it sends (Hello included): +1 per frame, continued across
    /// restarts when the board keeps a journal. The frame belongs to the latest Hello with a lower sequence.
    /// </summary>
    public ulong Sequence { get; init; }

    /// <summary>Milliseconds since <see cref="HelloFrame.EpochUnixMs"/> of the session's Hello.</summary>
    public uint TimeMs { get; init; }

    /// <summary>Bit flags, e.g. <see cref="PredictionStatus.Degraded"/>; bit 7 is reserved.</summary>
    public PredictionStatus Status { get; init; }

    /// <summary>Per-class probabilities as wire bytes (value / 255), in the order of <see cref="HelloFrame.OutputLabels"/>.</summary>
    public ReadOnlyMemory<byte> Probabilities { get; init; }

    /// <summary>The anomaly score as a wire level 0…127 (see <see cref="Quantization.ToAnomalyLevel"/>).</summary>
    public byte AnomalyLevel { get; init; }

    /// <summary>
    /// The model's outputs as numbers, for regression and forecast models (remaining useful life, forecasts,
    /// residuals), named by <see cref="HelloFrame.OutputLabels"/>; empty for classifiers, whose probabilities travel
    /// in <see cref="Probabilities"/>. A caller-owned array, refilled every sample. Sent as float32, non-finite values
    /// as they are.
    /// </summary>
    public ReadOnlyMemory<float> Values { get; init; }

    /// <summary>
    /// Frame flags, e.g. <see cref="FrameFlags.Historical"/> when the frame is sent from the backlog rather than live;
    /// bit 7 is reserved. None when a version-1 sender left the field out.
    /// </summary>
    public FrameFlags Flags { get; init; }

    /// <inheritdoc />
    public FrameType Type => FrameType.Prediction;

    /// <summary>True when at least one input was imputed.</summary>
    public bool IsDegraded => (Status & PredictionStatus.Degraded) != 0;

    /// <summary>The anomaly score in [0, 1].</summary>
    public float AnomalyScore => Quantization.FromAnomalyLevel(AnomalyLevel);

    /// <summary>
    /// The index of the most probable class (the first one on ties), or -1 when there are no classes. The top class
    /// is not sent: it is always the arg-max of the sent probabilities, so sending it would only cost a byte.
    /// </summary>
    public int TopClass
    {
        get
        {
            ReadOnlySpan<byte> probabilities = Probabilities.Span;
            int top = -1;
            for (int i = 0; i < probabilities.Length; i++)
            {
                if (top < 0 || probabilities[i] > probabilities[top])
                {
                    top = i;
                }
            }

            return top;
        }
    }

    /// <summary>The probability of one class in [0, 1].</summary>
    /// <param name="classIndex">The class index.</param>
    /// <returns>The de-quantized probability.</returns>
    public float Probability(int classIndex) => Quantization.FromProbabilityByte(Probabilities.Span[classIndex]);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="AnomalyLevel"/>, <see cref="Status"/> or <see cref="Flags"/> is above 127.</exception>
    public void WriteTo(ref MessagePackWriter writer) => PredictionFrameFormatter.Write(ref writer, this);
}
