using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Monitor.Charts;

/// <summary>Alarms come as changes (raise, clear) per (device, class); people look at periods.</summary>
internal static class AlarmPairs
{
    /// <summary>Each raise with the clear of its (device, class) that follows it, if any.</summary>
    public static IEnumerable<(AlarmRecord Raise, AlarmRecord? Clear)> Pair(IReadOnlyList<AlarmRecord> alarms)
    {
        var open = new Dictionary<(string, int), AlarmRecord>();
        foreach (AlarmRecord alarm in alarms.OrderBy(a => a.DeviceId, StringComparer.Ordinal).ThenBy(a => a.Sequence))
        {
            (string, int) key = (alarm.DeviceId, alarm.ClassIndex);
            if (alarm.Raised)
            {
                if (open.Remove(key, out AlarmRecord? unclosed)) yield return (unclosed, null); // raised again without a clear
                open[key] = alarm;
            }
            else if (open.Remove(key, out AlarmRecord? raise))
            {
                yield return (raise, alarm);
            }
        }
        foreach (AlarmRecord raise in open.Values) yield return (raise, null);
    }
}
