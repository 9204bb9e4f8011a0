using System.Globalization;
using System.Text;

namespace EdgeLstm.Core.Model;

/// <summary>
/// The documented limits on what a model may declare (docs/model-format.md, "Limits"). The format can express
/// absurd values; these bound every buffer a model's fields size, so no product of sizes can wrap an <c>int</c>
/// and a model that cannot fit on a board is refused when it is loaded, before anything is allocated for it.
/// </summary>
public static class ModelLimits
{
    /// <summary>Most input channels: every channel is a field of every Health frame, which must fit the protocol's 4 KiB.</summary>
    public const int MaxChannels = 512;

    /// <summary>Most outputs (classes or targets): every output is a field of every Prediction frame.</summary>
    public const int MaxOutputs = 512;

    /// <summary>Longest channel name, unit, output name or model name, in UTF-8 bytes: names travel in the Hello frame.</summary>
    public const int MaxNameBytes = 256;

    /// <summary>
    /// Most values in one window buffer: window length × the widest per-step buffer (a layer's output, its gate
    /// pre-activations, or the channels). 2^25 floats is 128 MiB per buffer.
    /// </summary>
    public const long MaxWindowValues = 1L << 25;

    /// <summary>Smallest normalization std: its inverse must be a float far from overflow.</summary>
    public const float MinStd = 1e-30f;

    /// <summary>Largest normalization |mean|.</summary>
    public const float MaxAbsMean = 1e30f;

    /// <summary>Largest |mean| / std, the normalized value of a raw 0: a plausible reading must normalize to a finite number.</summary>
    public const float MaxMeanOverStd = 1e30f;

    /// <summary>
    /// Why a channel's normalization cannot be used, or null: mean and std finite, std at least <see cref="MinStd"/>,
    /// |mean| at most <see cref="MaxAbsMean"/>, and |mean| / std at most <see cref="MaxMeanOverStd"/>.
    /// </summary>
    /// <param name="channel">The channel.</param>
    /// <param name="where">Names the channel in the message, e.g. <c>metadata.channels[2]</c>.</param>
    /// <returns>A sentence naming the field and its value, without a final period; null when usable.</returns>
    public static string? NormalizationProblem(ChannelInfo channel, string where)
    {
        ArgumentNullException.ThrowIfNull(channel);
        CultureInfo inv = CultureInfo.InvariantCulture;
        string mean = channel.Mean.ToString("R", inv), std = channel.Std.ToString("R", inv);
        if (!float.IsFinite(channel.Mean))
            return $"{where}.mean is {mean}; it must be finite";
        if (!float.IsFinite(channel.Std) || !(channel.Std > 0))
            return $"{where}.std is {std}; it must be finite and positive";
        if (channel.Std < MinStd)
            return $"{where}.std is {std}; it must be at least {MinStd.ToString("R", inv)} (its inverse scales every reading)";
        if (MathF.Abs(channel.Mean) > MaxAbsMean)
            return $"{where}.mean is {mean}; its magnitude must be at most {MaxAbsMean.ToString("R", inv)}";
        if ((double)MathF.Abs(channel.Mean) / channel.Std > MaxMeanOverStd)
            return $"{where} has mean {mean} and std {std}: a reading of 0 would normalize to {((double)-channel.Mean / channel.Std).ToString("G4", inv)}, beyond ±{MaxMeanOverStd.ToString("R", inv)}";
        return null;
    }

    /// <summary>Why a name is too long, or null.</summary>
    /// <param name="name">The name.</param>
    /// <param name="where">Names the field, e.g. <c>metadata.outputs[3]</c>.</param>
    /// <returns>A sentence naming the field and its length, without a final period; null when it fits.</returns>
    public static string? NameProblem(string? name, string where)
    {
        int bytes = name is null ? 0 : Encoding.UTF8.GetByteCount(name);
        return bytes > MaxNameBytes ? $"{where} is {bytes} bytes long (UTF-8); at most {MaxNameBytes} are accepted" : null;
    }
}
