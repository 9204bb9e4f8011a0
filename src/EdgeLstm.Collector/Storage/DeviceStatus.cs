using System.Data.Common;

namespace EdgeLstm.Collector.Storage;

/// <summary>A device's online/offline status (an MQTT birth or last-will message), kept on its <c>devices</c> row.</summary>
internal static class DeviceStatus
{
    /// <summary>
    /// Records the status at <paramref name="atUnixMs"/>, creating the device row when it is new. A status older than
    /// the one stored is ignored: status messages may arrive out of order through a broker.
    /// </summary>
    public static void Record(DbConnection connection, string deviceId, bool online, long atUnixMs)
    {
        using DbCommand command = Sql.Command(connection, null, """
            INSERT INTO devices (device_id, first_seen_ms, last_seen_ms, online, status_changed_ms) VALUES (@d, @t, @t, @o, @t)
            ON CONFLICT (device_id) DO UPDATE SET online = @o, status_changed_ms = @t
            WHERE devices.status_changed_ms IS NULL OR devices.status_changed_ms <= @t;
            """).With("@d", deviceId).With("@o", online ? 1L : 0L).With("@t", atUnixMs);
        command.ExecuteNonQuery();
    }
}
