using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Data;

/// <summary>Turns a CSV sequence into model inputs: columns matched to channels by header name, optional normalization.</summary>
public static class ModelInputs
{
    /// <summary>
    /// Returns the sequence's values in model channel order. When the header names exactly the model's channels in
    /// another order, columns are reordered to match; otherwise columns are taken by position. With
    /// <paramref name="raw"/>, each value is normalized with its channel's mean and std, as the board's Normalizer does.
    /// </summary>
    public static float[] From(CsvSequence csv, ModelMetadata metadata, bool raw)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(metadata);
        int channels = metadata.Channels.Count;
        int[] columnOf = [.. Enumerable.Range(0, channels)];
        if (csv.Header is { } header && header.Length == channels)
        {
            var index = header.Select((name, i) => (name, i)).GroupBy(p => p.name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
            if (index.Count == channels && metadata.Channels.All(c => index.ContainsKey(c.Name)))
                columnOf = [.. metadata.Channels.Select(c => index[c.Name])];
        }
        var values = new float[csv.Steps * channels];
        for (int t = 0; t < csv.Steps; t++)
            for (int c = 0; c < channels; c++)
            {
                float v = csv.Values[t * csv.Columns + columnOf[c]];
                values[t * channels + c] = raw ? (v - metadata.Channels[c].Mean) / metadata.Channels[c].Std : v;
            }
        return values;
    }
}
