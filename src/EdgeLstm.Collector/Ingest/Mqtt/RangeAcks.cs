using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>One range Ack to publish: <paramref name="Device"/>'s frames <paramref name="Lowest"/> … <paramref name="Highest"/> are committed.</summary>
internal readonly record struct AckRange(string Device, ulong Lowest, ulong Highest);

/// <summary>
/// Splits a committed batch into range Acks (docs/protocol.md, Range acknowledgement): per device, one per maximal run
/// of consecutive sequences. Duplicates count: they are stored.
/// </summary>
internal static class RangeAcks
{
    /// <summary>The ranges of <paramref name="committed"/>, by device then lowest sequence.</summary>
    public static List<AckRange> Of(IEnumerable<ReceivedFrame> committed)
    {
        var ranges = new List<AckRange>();
        foreach (IGrouping<string, ReceivedFrame> device in committed.GroupBy(f => f.DeviceId, StringComparer.Ordinal))
        {
            ulong[] sequences = [.. device.Select(f => FrameSequence.Of(f.Frame)).Distinct().Order()];
            int start = 0;
            for (int i = 1; i <= sequences.Length; i++)
            {
                // A run ends where the next number is not one more (unchecked: ulong.MaxValue + 1 wraps to 0, no run).
                if (i < sequences.Length && sequences[i] == unchecked(sequences[i - 1] + 1)) continue;
                ranges.Add(new AckRange(device.Key, sequences[start], sequences[i - 1]));
                start = i;
            }
        }
        return ranges;
    }
}
