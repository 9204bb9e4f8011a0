using EdgeLstm.Collector.Storage;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>
/// The session of each device's latest Hello (by Hello sequence) the collector knows, for the <c>sessionId</c> of its
/// range Acks. Learned from committed Hellos; a device first met without one (its Hello went to another collector of
/// the shared subscription, or came before a restart) is looked up once in the store. Used by one thread.
/// </summary>
internal sealed class DeviceSessions(IFrameStore store)
{
    private readonly Dictionary<string, (ulong Sequence, ulong Session)> _latest = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lookedUp = new(StringComparer.Ordinal);

    /// <summary>Takes a committed Hello of <paramref name="deviceId"/> into account.</summary>
    public void Saw(string deviceId, in HelloFrame hello)
    {
        if (!_latest.TryGetValue(deviceId, out var known) || hello.Sequence >= known.Sequence)
        {
            _latest[deviceId] = (hello.Sequence, hello.SessionId);
        }
    }

    /// <summary>The session of the device's latest Hello known; 0 when none is.</summary>
    public ulong Latest(string deviceId)
    {
        if (_latest.TryGetValue(deviceId, out var known)) return known.Session;
        if (_lookedUp.Add(deviceId))
        {
            DeviceRecord? record = store.Devices().FirstOrDefault(d => d.DeviceId == deviceId);
            if (record?.LatestSession is ulong session)
            {
                // No Hello sequence from the store's summary: any Hello received later replaces it.
                _latest[deviceId] = (0, session);
                return session;
            }
        }
        return 0;
    }
}
