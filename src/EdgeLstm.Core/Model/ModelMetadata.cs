namespace EdgeLstm.Core.Model;

/// <summary>One input channel: its name, unit and the normalization the model was trained with.</summary>
/// <param name="Name">Channel name, e.g. <c>Accelerometer1RMS</c>; board configs refer to it.</param>
/// <param name="Unit">Unit of the raw value, e.g. <c>g</c>, <c>bar</c>; empty when unknown.</param>
/// <param name="Mean">Subtracted from the raw value.</param>
/// <param name="Std">The centred value is divided by it; must be positive.</param>
public sealed record ChannelInfo(string Name, string Unit = "", float Mean = 0f, float Std = 1f);

/// <summary>What the runtime needs to know about a model besides its weights.</summary>
/// <param name="Channels">Input channels, in model input order.</param>
/// <param name="OutputKind">Classifier, regressor or forecaster.</param>
/// <param name="OutputNames">Class labels or target names, in model output order.</param>
/// <param name="Mode">Streaming (state carried) or windowed.</param>
/// <param name="WindowLength">Samples per window (windowed mode); 1 or more.</param>
/// <param name="Stride">Samples between windows (windowed mode); 1 or more.</param>
/// <param name="Name">A human-readable model name.</param>
/// <param name="IsDefault">True when no metadata was supplied and the names and normalization are placeholders.</param>
/// <param name="SampleRateHz">The sample rate the model was trained at; 0 when unknown. The runtime refuses a board sampling at another rate.</param>
public sealed record ModelMetadata(
    IReadOnlyList<ChannelInfo> Channels,
    OutputKind OutputKind,
    IReadOnlyList<string> OutputNames,
    ExecutionMode Mode = ExecutionMode.Streaming,
    int WindowLength = 1,
    int Stride = 1,
    string Name = "",
    bool IsDefault = false,
    float SampleRateHz = 0)
{
    /// <summary>
    /// The largest <see cref="WindowLength"/> and <see cref="Stride"/> a model may declare: 65,536 samples (over a
    /// minute at 1 kHz). A windowed model's buffers are also bounded by <see cref="ModelLimits.MaxWindowValues"/>.
    /// </summary>
    public const int MaxWindowLength = 65_536;

    /// <summary>The largest <see cref="SampleRateHz"/> a model may declare.</summary>
    public const float MaxSampleRateHz = 1_000_000;

    /// <summary>
    /// Placeholder metadata: channels <c>x0..xN-1</c> with identity normalization, outputs <c>y0..yM-1</c>,
    /// streaming; <see cref="IsDefault"/> is true so tools can say that no metadata was given.
    /// </summary>
    public static ModelMetadata CreateDefault(int inputCount, int outputCount, OutputKind kind = OutputKind.Regressor)
    {
        var channels = new ChannelInfo[inputCount];
        for (int i = 0; i < inputCount; i++) channels[i] = new ChannelInfo($"x{i}");
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++) outputs[i] = $"y{i}";
        return new ModelMetadata(channels, kind, outputs, IsDefault: true);
    }
}
