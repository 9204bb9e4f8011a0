using System.Data.Common;
using System.Text.Json;

namespace EdgeLstm.Collector.Storage;

/// <summary>The reads behind <c>devices</c>, <c>alarms</c> and <c>export</c>: plain SQL both stores understand.</summary>
internal static class FrameQueries
{
    /// <summary>Every device, by id.</summary>
    public static IReadOnlyList<DeviceRecord> Devices(DbConnection connection) => Sql.Query(connection, """
        SELECT d.device_id, d.first_seen_ms, d.last_seen_ms, d.latest_session, d.model_id, d.highest_sequence,
            (SELECT COUNT(*) FROM frames f WHERE f.device_id = d.device_id),
            (SELECT COUNT(*) FROM gaps g WHERE g.device_id = d.device_id AND g.closed_ms IS NULL),
            d.online, d.status_changed_ms
        FROM devices d ORDER BY d.device_id;
        """, _ => { }, r => new DeviceRecord(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.NullableUnsigned(3), r.IsDBNull(4) ? null : r.GetString(4),
            r.NullableUnsigned(5), r.GetInt64(6), r.GetInt64(7), r.IsDBNull(8) ? null : r.Flag(8), r.NullableInt64(9)));

    /// <summary>Alarms by device and sequence; with <paramref name="openOnly"/>, only those whose (device, class) latest change is a raise.</summary>
    public static IReadOnlyList<AlarmRecord> Alarms(DbConnection connection, string? deviceId, bool openOnly)
    {
        string open = openOnly
            ? "AND a.raised = 1 AND NOT EXISTS (SELECT 1 FROM alarms b WHERE b.device_id = a.device_id AND b.class_index = a.class_index AND b.sequence > a.sequence)"
            : "";
        return Sql.Query(connection, $"""
            SELECT a.device_id, a.sequence, a.session_id, a.time_unix_ms, a.raised, a.class_index, a.score, a.duration_ms, a.degraded, a.historical
            FROM alarms a WHERE (@d IS NULL OR a.device_id = @d) {open}
            ORDER BY a.device_id, a.sequence;
            """, c => c.With("@d", deviceId), r => new AlarmRecord(r.GetString(0), r.Unsigned(1), r.Unsigned(2), r.NullableInt64(3), r.Flag(4), r.GetInt32(5),
            r.GetFloat(6), r.GetInt64(7), r.Flag(8), r.Flag(9)));
    }

    /// <summary>The device's Predictions by sequence within <paramref name="range"/>.</summary>
    public static IReadOnlyList<PredictionRecord> Predictions(DbConnection connection, string deviceId, TimeRange range) => Sql.Query(connection, $"""
        SELECT sequence, session_id, time_unix_ms, status, anomaly_level, probabilities, output_values, historical
        FROM predictions WHERE device_id = @d {RangeSql} ORDER BY sequence;
        """, c => BindRange(c, deviceId, range), r => new PredictionRecord(r.Unsigned(0), r.Unsigned(1), r.NullableInt64(2),
            r.GetInt32(3), r.GetInt32(4), (byte[])r.GetValue(5), ValueBlob.ToFloats((byte[])r.GetValue(6)), r.Flag(7)));

    /// <summary>The device's Health frames by sequence within <paramref name="range"/>.</summary>
    public static IReadOnlyList<HealthRecord> Health(DbConnection connection, string deviceId, TimeRange range) =>
        Sql.Query(connection, $"{HealthSelect} WHERE device_id = @d {RangeSql} ORDER BY sequence;", c => BindRange(c, deviceId, range), ReadHealth);

    /// <summary>The device's Health frame with the highest sequence, or null.</summary>
    public static HealthRecord? LatestHealth(DbConnection connection, string deviceId) =>
        Sql.Query(connection, $"{HealthSelect} WHERE device_id = @d ORDER BY sequence DESC LIMIT 1;", c => c.With("@d", deviceId), ReadHealth).FirstOrDefault();

    private const string HealthSelect = """
        SELECT sequence, session_id, time_unix_ms, uptime_seconds, samples_read, overruns, channel_read_errors, inference_p50_us, inference_p99_us,
            inference_max_us, send_queue_depth, send_queue_drops, cpu_temperature_mc, journal_backlog, journal_evictions, journal_damaged,
            channel_read_timeouts, channel_non_finite, model_resets, historical, alarm_thresholds
        FROM health
        """;

    private static HealthRecord ReadHealth(DbDataReader r) => new(r.Unsigned(0), r.Unsigned(1), r.NullableInt64(2),
        r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11),
        r.NullableInt64(12), r.GetInt64(13), r.GetInt64(14), r.GetInt64(15), r.GetString(16), r.GetString(17), r.GetInt64(18), r.Flag(19),
        ValueBlob.ToFloats((byte[])r.GetValue(20)));

    /// <summary>The device's gaps, open and closed, by first missing sequence.</summary>
    public static IReadOnlyList<GapRecord> Gaps(DbConnection connection, string deviceId) => Sql.Query(connection, """
        SELECT device_id, session_id, from_sequence, to_sequence, detected_ms, closed_ms FROM gaps WHERE device_id = @d ORDER BY from_sequence;
        """, c => c.With("@d", deviceId), r => new GapRecord(r.GetString(0), r.Unsigned(1), r.Unsigned(2), r.Unsigned(3), r.GetInt64(4), r.NullableInt64(5)));

    /// <summary>The output labels of the device's latest session (empty when it has none).</summary>
    public static IReadOnlyList<string> OutputLabels(DbConnection connection, string deviceId)
    {
        List<string> labels = Sql.Query(connection, "SELECT output_labels FROM sessions WHERE device_id = @d ORDER BY hello_sequence DESC LIMIT 1;",
            c => c.With("@d", deviceId), r => r.GetString(0));
        return labels.Count == 0 ? [] : JsonSerializer.Deserialize(labels[0], CollectorJson.Default.StringArray) ?? [];
    }

    /// <summary>Events by device and sequence, of one device when <paramref name="deviceId"/> is given, within <paramref name="range"/>.</summary>
    public static IReadOnlyList<EventRecord> Events(DbConnection connection, string? deviceId, TimeRange range) => Sql.Query(connection, $"""
        {EventSelect} WHERE (@d IS NULL OR device_id = @d) {RangeSql} ORDER BY device_id, sequence;
        """, c => BindRange(c, deviceId, range), ReadEvent);

    /// <summary>The newest Event (highest sequence) of every device that sent one, by device.</summary>
    public static IReadOnlyList<EventRecord> LatestEvents(DbConnection connection) => Sql.Query(connection, $"""
        {EventSelect} e WHERE NOT EXISTS (SELECT 1 FROM events n WHERE n.device_id = e.device_id AND n.sequence > e.sequence) ORDER BY device_id;
        """, _ => { }, ReadEvent);

    private const string EventSelect = "SELECT device_id, sequence, session_id, time_unix_ms, kind, update_version, model_id, message FROM events";

    private static EventRecord ReadEvent(DbDataReader r) =>
        new(r.GetString(0), r.Unsigned(1), r.Unsigned(2), r.NullableInt64(3), r.GetInt32(4), r.Unsigned(5), r.GetString(6), r.GetString(7));

    /// <summary>The pushes recorded, oldest first; of one device when <paramref name="deviceId"/> is given.</summary>
    public static IReadOnlyList<PushRecord> Pushes(DbConnection connection, string? deviceId) => Sql.Query(connection, """
        SELECT device_id, kind, update_version, model_id, thresholds, key_id, issued_ms, expires_ms FROM pushes
        WHERE (@d IS NULL OR device_id = @d) ORDER BY issued_ms, push_id;
        """, c => c.With("@d", deviceId), r => new PushRecord(r.GetString(0), r.GetString(1), r.Unsigned(2), r.GetString(3), r.GetString(4), r.GetString(5),
            r.GetInt64(6), r.GetInt64(7)));

    /// <summary>Records one push (autocommit: one statement).</summary>
    public static void AddPush(DbConnection connection, PushRecord push)
    {
        using DbCommand command = Sql.Command(connection, null, """
            INSERT INTO pushes (device_id, kind, update_version, model_id, thresholds, key_id, issued_ms, expires_ms)
            VALUES (@d, @k, @v, @m, @h, @y, @i, @e);
            """);
        command.With("@d", push.DeviceId).With("@k", push.Kind).With("@v", Sql.Signed(push.UpdateVersion)).With("@m", push.ModelId).With("@h", push.Thresholds)
            .With("@y", push.KeyId).With("@i", push.IssuedUnixMs).With("@e", push.ExpiresUnixMs);
        command.ExecuteNonQuery();
    }

    private const string RangeSql = "AND (@from IS NULL OR time_unix_ms >= @from) AND (@to IS NULL OR time_unix_ms < @to)";

    private static void BindRange(DbCommand command, string? deviceId, TimeRange range) =>
        command.With("@d", deviceId).With("@from", range.FromUnixMs).With("@to", range.ToUnixMs);
}
