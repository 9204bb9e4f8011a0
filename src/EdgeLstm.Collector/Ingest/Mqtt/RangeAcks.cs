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
    public static List<AckRange> Of(IEnumerable<ReceivedFrame> committed) =>
        Of(committed.Select(f => (f.DeviceId, FrameSequence.Of(f.Frame))));

    /// <summary>The ranges of committed (device, sequence) pairs, by device then lowest sequence.</summary>
    public static List<AckRange> Of(IEnumerable<(string Device, ulong Sequence)> committed)
    {
        var ranges = new List<AckRange>();
        foreach (IGrouping<string, (string Device, ulong Sequence)> device in committed.GroupBy(f => f.Device, StringComparer.Ordinal))
        {
            ulong[] sequences = [.. device.Select(f => f.Sequence).Distinct().Order()];
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

/// <summary>
/// Committed frames whose range Acks have not been published yet. Held for <see cref="MqttIngestOptions.AckInterval"/>
/// and published together: with a thousand boards in a batch, a batch rarely holds two consecutive frames of one
/// board, so one Ack per batch and device was one Ack message per frame (docs/performance.md, Fleet: MQTT load).
/// The commit loop adds, the Ack loop takes: both under one lock.
/// </summary>
internal sealed class PendingAcks
{
    private readonly Lock _lock = new();
    private List<(string Device, ulong Sequence)> _committed = [];

    /// <summary>True when some committed frame waits for its Ack.</summary>
    public bool Any
    {
        get
        {
            lock (_lock) return _committed.Count > 0;
        }
    }

    /// <summary>Adds the frames of a committed batch.</summary>
    public void Add(IEnumerable<ReceivedFrame> committed)
    {
        (string, ulong)[] added = [.. committed.Select(f => (f.DeviceId, FrameSequence.Of(f.Frame)))];
        lock (_lock) _committed.AddRange(added);
    }

    /// <summary>The ranges of everything added since the last call, each run of consecutive sequences once.</summary>
    public List<AckRange> Take()
    {
        List<(string Device, ulong Sequence)> taken;
        lock (_lock) (taken, _committed) = (_committed, []);
        return RangeAcks.Of(taken);
    }
}
