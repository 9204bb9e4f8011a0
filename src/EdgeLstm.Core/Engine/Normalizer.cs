using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>
/// Turns raw channel values into model inputs with the per-channel mean and standard deviation the model was
/// trained with: <c>(raw − mean) / std</c>. Allocation-free after construction.
/// </summary>
public sealed class Normalizer
{
    private readonly float[] _mean;
    private readonly float[] _inverseStd;

    /// <summary>Creates the normalizer for a model's channels.</summary>
    public Normalizer(IReadOnlyList<ChannelInfo> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        _mean = new float[channels.Count];
        _inverseStd = new float[channels.Count];
        for (int i = 0; i < channels.Count; i++)
        {
            if (!(channels[i].Std > 0) || !float.IsFinite(channels[i].Std) || !float.IsFinite(channels[i].Mean))
                throw new InvalidModelException($"metadata.channels[{i}] ('{channels[i].Name}') has mean {channels[i].Mean} and std {channels[i].Std}; both must be finite and std positive.");
            _mean[i] = channels[i].Mean;
            _inverseStd[i] = 1f / channels[i].Std;
        }
    }

    /// <summary>Channels expected per sample.</summary>
    public int ChannelCount => _mean.Length;

    /// <summary>Writes the normalized values of <paramref name="raw"/> into <paramref name="normalized"/>.</summary>
    public void Normalize(ReadOnlySpan<float> raw, Span<float> normalized)
    {
        if (raw.Length != _mean.Length || normalized.Length < raw.Length)
            throw new ArgumentException($"Expected {_mean.Length} channel values; got {raw.Length} (destination {normalized.Length}).");
        for (int i = 0; i < raw.Length; i++)
            normalized[i] = (raw[i] - _mean[i]) * _inverseStd[i];
    }
}
