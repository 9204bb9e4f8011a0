using System.Data.Common;
using System.Text.Json;

namespace EdgeLstm.Collector.Storage;

/// <summary>The SQL behind <see cref="IMonitorStore"/>: plain statements both stores understand.</summary>
internal static class MonitorQueries
{
    /// <summary>The device's sessions, oldest Hello first.</summary>
    public static IReadOnlyList<SessionRecord> Sessions(DbConnection connection, string deviceId) => Sql.Query(connection, """
        SELECT hello_sequence, session_id, model_id, firmware, channel_names, output_labels, sample_rate_hz, epoch_unix_ms, received_ms
        FROM sessions WHERE device_id = @d ORDER BY hello_sequence;
        """, c => c.With("@d", deviceId), r => new SessionRecord(r.Unsigned(0), r.Unsigned(1), r.GetString(2), r.GetString(3),
            Strings(r.GetString(4)), Strings(r.GetString(5)), r.GetDouble(6), r.GetInt64(7), r.GetInt64(8)));

    private static string[] Strings(string json) => JsonSerializer.Deserialize(json, CollectorJson.Default.StringArray) ?? [];

    /// <summary>The time of the device's newest Prediction, or null.</summary>
    public static long? LatestPredictionTime(DbConnection connection, string deviceId) => Sql.Query(connection,
        "SELECT time_unix_ms FROM predictions WHERE device_id = @d AND time_unix_ms IS NOT NULL ORDER BY sequence DESC LIMIT 1;",
        c => c.With("@d", deviceId), r => (long?)r.GetInt64(0)).FirstOrDefault();

    /// <summary>Notes on alarms, oldest first.</summary>
    public static IReadOnlyList<AlarmNoteRecord> AlarmNotes(DbConnection connection, string? deviceId) => Sql.Query(connection, """
        SELECT device_id, sequence, note, author, noted_ms FROM alarm_notes
        WHERE (@d IS NULL OR device_id = @d) ORDER BY noted_ms, note_id;
        """, c => c.With("@d", deviceId), r => new AlarmNoteRecord(r.GetString(0), r.Unsigned(1), r.GetString(2), r.GetString(3), r.GetInt64(4)));

    /// <summary>Inserts one note (autocommit: one statement).</summary>
    public static void AddAlarmNote(DbConnection connection, AlarmNoteRecord note)
    {
        using DbCommand command = Sql.Command(connection, null,
            "INSERT INTO alarm_notes (device_id, sequence, note, author, noted_ms) VALUES (@d, @s, @n, @a, @t);");
        command.With("@d", note.DeviceId).With("@s", Sql.Signed(note.Sequence)).With("@n", note.Note).With("@a", note.Author).With("@t", note.NotedUnixMs);
        command.ExecuteNonQuery();
    }
}
