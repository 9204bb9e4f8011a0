using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Data;

/// <summary>Turns a CSV sequence into model inputs.</summary>
public static class ModelInputs
{
    /// <summary>Reads <paramref name="path"/> for <paramref name="metadata"/>'s channels.</summary>
    public static CsvSequence Load(string path, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return CsvSequence.Load(path, [.. metadata.Channels.Select(c => c.Name)]);
    }

    /// <summary>
    /// The sequence's values as the model takes them. With <paramref name="raw"/>, each value is normalized with its
    /// channel's mean and std, as the board's Normalizer does; otherwise the values are taken as already normalized.
    /// </summary>
    public static float[] From(CsvSequence csv, ModelMetadata metadata, bool raw)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(metadata);
        if (!raw) return csv.Values;
        int channels = csv.Columns;
        var values = new float[csv.Values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            ChannelInfo channel = metadata.Channels[i % channels];
            values[i] = (csv.Values[i] - channel.Mean) / channel.Std;
        }
        return values;
    }
}
