using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace EdgeLstm.Collector.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a committed batch survives a
/// power cut before its Ack leaves. Migrations run when it opens. One connection, used under a lock: SQLite takes
/// one writer at a time anyway, and batches keep the transactions few.
/// </summary>
internal sealed class SqliteFrameStore : IFrameStore
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and brings its schema up to date.</summary>
    public SqliteFrameStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        _connection = new SqliteConnection(builder.ToString());
        _connection.Open();
        Pragma("PRAGMA journal_mode=WAL;");
        Pragma("PRAGMA synchronous=FULL;");
        Pragma("PRAGMA busy_timeout=5000;");
        SchemaVersionAtOpen = SqliteMigrations.Apply(_connection);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The schema version the file had before this store migrated it (0: new).</summary>
    public int SchemaVersionAtOpen { get; }

    /// <inheritdoc />
    public string Name => $"sqlite {Path}";

    /// <summary>The schema version now.</summary>
    public int SchemaVersion
    {
        get
        {
            lock (_lock) return SqliteMigrations.CurrentVersion(_connection);
        }
    }

    /// <inheritdoc />
    public CommitResult Commit(IReadOnlyList<ReceivedFrame> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_lock)
        {
            using SqliteTransaction transaction = _connection.BeginTransaction();
            var writer = new SqliteBatchWriter(_connection, transaction, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            foreach (ReceivedFrame frame in batch) writer.Write(frame);
            transaction.Commit();
            return writer.Result;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<DeviceRecord> Devices() => Query("""
        SELECT d.device_id, d.first_seen_ms, d.last_seen_ms, d.latest_session, d.model_id, d.highest_sequence,
            (SELECT COUNT(*) FROM frames f WHERE f.device_id = d.device_id),
            (SELECT COUNT(*) FROM gaps g WHERE g.device_id = d.device_id AND g.closed_ms IS NULL)
        FROM devices d ORDER BY d.device_id;
        """, _ => { }, r => new DeviceRecord(r.GetString(0), r.GetInt64(1), r.GetInt64(2), NullableUnsigned(r, 3), r.IsDBNull(4) ? null : r.GetString(4),
            NullableUnsigned(r, 5), r.GetInt64(6), r.GetInt64(7)));

    /// <inheritdoc />
    public IReadOnlyList<AlarmRecord> Alarms(string? deviceId, bool openOnly)
    {
        // Open: the latest change of its (device, class) is a raise.
        string sql = $"""
            SELECT a.device_id, a.sequence, a.session_id, a.time_unix_ms, a.raised, a.class_index, a.score, a.duration_ms, a.degraded, a.historical
            FROM alarms a
            WHERE ($d IS NULL OR a.device_id = $d)
            {(openOnly ? "AND a.raised = 1 AND NOT EXISTS (SELECT 1 FROM alarms b WHERE b.device_id = a.device_id AND b.class_index = a.class_index AND b.sequence > a.sequence)" : "")}
            ORDER BY a.device_id, a.sequence;
            """;
        return Query(sql, p => p.AddWithValue("$d", (object?)deviceId ?? DBNull.Value), r => new AlarmRecord(r.GetString(0), Unsigned(r, 1), Unsigned(r, 2),
            r.IsDBNull(3) ? null : r.GetInt64(3), r.GetInt64(4) != 0, r.GetInt32(5), r.GetFloat(6), r.GetInt64(7), r.GetInt64(8) != 0, r.GetInt64(9) != 0));
    }

    /// <inheritdoc />
    public IReadOnlyList<PredictionRecord> Predictions(string deviceId, TimeRange range) => Query($"""
        SELECT sequence, session_id, time_unix_ms, status, anomaly_level, probabilities, output_values, historical
        FROM predictions WHERE device_id = $d {RangeSql} ORDER BY sequence;
        """, p => BindRange(p, deviceId, range), r => new PredictionRecord(Unsigned(r, 0), Unsigned(r, 1), r.IsDBNull(2) ? null : r.GetInt64(2),
            r.GetInt32(3), r.GetInt32(4), (byte[])r.GetValue(5), ValueBlob.ToFloats((byte[])r.GetValue(6)), r.GetInt64(7) != 0));

    /// <inheritdoc />
    public IReadOnlyList<HealthRecord> Health(string deviceId, TimeRange range) => Query($"""
        SELECT sequence, session_id, time_unix_ms, uptime_seconds, samples_read, overruns, channel_read_errors, inference_p50_us, inference_p99_us,
            inference_max_us, send_queue_depth, send_queue_drops, cpu_temperature_mc, journal_backlog, journal_evictions, journal_damaged,
            channel_read_timeouts, channel_non_finite, model_resets, historical
        FROM health WHERE device_id = $d {RangeSql} ORDER BY sequence;
        """, p => BindRange(p, deviceId, range), r => new HealthRecord(Unsigned(r, 0), Unsigned(r, 1), r.IsDBNull(2) ? null : r.GetInt64(2),
            r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11),
            r.IsDBNull(12) ? null : r.GetInt64(12), r.GetInt64(13), r.GetInt64(14), r.GetInt64(15), r.GetString(16), r.GetString(17), r.GetInt64(18),
            r.GetInt64(19) != 0));

    /// <inheritdoc />
    public IReadOnlyList<GapRecord> Gaps(string deviceId) => Query("""
        SELECT device_id, session_id, from_sequence, to_sequence, detected_ms, closed_ms FROM gaps WHERE device_id = $d ORDER BY from_sequence;
        """, p => p.AddWithValue("$d", deviceId), r => new GapRecord(r.GetString(0), Unsigned(r, 1), Unsigned(r, 2), Unsigned(r, 3), r.GetInt64(4),
            r.IsDBNull(5) ? null : r.GetInt64(5)));

    /// <inheritdoc />
    public IReadOnlyList<string> OutputLabels(string deviceId)
    {
        List<string> labels = Query("""
            SELECT output_labels FROM sessions WHERE device_id = $d ORDER BY hello_sequence DESC LIMIT 1;
            """, p => p.AddWithValue("$d", deviceId), r => r.GetString(0));
        return labels.Count == 0 ? [] : JsonSerializer.Deserialize(labels[0], CollectorJson.Default.StringArray) ?? [];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock) _connection.Dispose();
    }

    private const string RangeSql = "AND ($from IS NULL OR time_unix_ms >= $from) AND ($to IS NULL OR time_unix_ms < $to)";

    private static void BindRange(SqliteParameterCollection parameters, string deviceId, TimeRange range)
    {
        parameters.AddWithValue("$d", deviceId);
        parameters.AddWithValue("$from", (object?)range.FromUnixMs ?? DBNull.Value);
        parameters.AddWithValue("$to", (object?)range.ToUnixMs ?? DBNull.Value);
    }

    private static ulong Unsigned(SqliteDataReader reader, int column) => unchecked((ulong)reader.GetInt64(column));

    private static ulong? NullableUnsigned(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : Unsigned(reader, column);

    private List<T> Query<T>(string sql, Action<SqliteParameterCollection> bind, Func<SqliteDataReader, T> map)
    {
        lock (_lock)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = sql;
            bind(command.Parameters);
            using SqliteDataReader reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read()) rows.Add(map(reader));
            return rows;
        }
    }

    private void Pragma(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
