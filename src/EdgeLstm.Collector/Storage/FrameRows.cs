using System.Data.Common;
using System.Text.Json;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Storage;

/// <summary>
/// The row of one new frame in its type's table (<c>sessions</c>, <c>predictions</c>, <c>alarms</c>, <c>health</c>, <c>events</c>),
/// with the session and absolute time of the Hello that governs it: the latest Hello of the device with a lower
/// sequence. A Hello stored after frames it governs hands them its session and epoch.
/// </summary>
internal sealed class FrameRows
{
    /// <summary>The tables of frames a Hello governs; fixed names, never input.</summary>
    private static readonly string[] GovernedTables = ["predictions", "alarms", "health", "events"];

    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly long _now;

    // Each device's newest Hello, read once per batch: almost every frame is governed by it, and a query per frame
    // was a round trip per frame to PostgreSQL. The batch holds the device's row lock, so no other writer adds one.
    private readonly Dictionary<string, NewestHello?> _newestHello = new(StringComparer.Ordinal);

    /// <summary>Writes into <paramref name="transaction"/>; <paramref name="nowUnixMs"/> is the received time.</summary>
    public FrameRows(DbConnection connection, DbTransaction transaction, long nowUnixMs)
    {
        _connection = connection;
        _transaction = transaction;
        _now = nowUnixMs;
    }

    /// <summary>Writes <paramref name="frame"/> of <paramref name="device"/>.</summary>
    public void Write(string device, DecodeResult frame)
    {
        switch (frame.FrameType)
        {
            case FrameType.Hello:
                WriteHello(device, frame.Hello);
                break;
            case FrameType.Prediction:
                WritePrediction(device, frame.Prediction);
                break;
            case FrameType.Alarm:
                WriteAlarm(device, frame.Alarm);
                break;
            case FrameType.Event:
                WriteEvent(device, frame.Event);
                break;
            default:
                WriteHealth(device, frame.Health);
                break;
        }
    }

    /// <summary>The session and epoch of the latest Hello below <paramref name="sequence"/>: the one the frame belongs to (0 and null: none yet).</summary>
    public (long Session, long? Epoch) Governing(string device, ulong sequence)
    {
        if (NewestHelloOf(device) is { } newest && newest.Sequence < Sql.Signed(sequence)) return (newest.Session, newest.Epoch);
        using DbCommand command = Command("""
            SELECT session_id, epoch_unix_ms FROM sessions WHERE device_id = @d AND hello_sequence < @s
            ORDER BY hello_sequence DESC LIMIT 1;
            """).With("@d", device).With("@s", Sql.Signed(sequence));
        using DbDataReader reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, null);
    }

    private NewestHello? NewestHelloOf(string device)
    {
        if (_newestHello.TryGetValue(device, out NewestHello? known)) return known;
        using DbCommand command = Command("SELECT hello_sequence, session_id, epoch_unix_ms FROM sessions WHERE device_id = @d ORDER BY hello_sequence DESC LIMIT 1;")
            .With("@d", device);
        using DbDataReader reader = command.ExecuteReader();
        NewestHello? newest = reader.Read() ? new NewestHello(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
        _newestHello[device] = newest;
        return newest;
    }

    /// <summary>A device's Hello with the highest sequence: its sequence, session and epoch (signed, as stored).</summary>
    private sealed record NewestHello(long Sequence, long Session, long Epoch);

    private DbCommand Command(string sql) => Sql.Command(_connection, _transaction, sql);

    private void WriteHello(string device, HelloFrame hello)
    {
        long sequence = Sql.Signed(hello.Sequence), session = Sql.Signed(hello.SessionId), epoch = Sql.Signed(hello.EpochUnixMs);
        using DbCommand insert = Command("""
            INSERT INTO sessions (device_id, hello_sequence, session_id, protocol_version, model_id, firmware, channel_names,
                output_labels, sample_rate_hz, epoch_unix_ms, received_ms)
            VALUES (@d, @q, @x, @p, @m, @f, @c, @o, @r, @e, @t) ON CONFLICT (device_id, hello_sequence) DO NOTHING;
            """).With("@d", device).With("@q", sequence).With("@x", session).With("@p", (long)hello.ProtocolVersion).With("@m", hello.ModelId ?? "")
            .With("@f", hello.FirmwareVersion ?? "").With("@c", JsonSerializer.Serialize(hello.ChannelNames ?? [], CollectorJson.Default.IReadOnlyListString))
            .With("@o", JsonSerializer.Serialize(hello.OutputLabels ?? [], CollectorJson.Default.IReadOnlyListString)).WithReal("@r", hello.SampleRateHz)
            .With("@e", epoch).With("@t", _now);
        insert.ExecuteNonQuery();
        if (NewestHelloOf(device) is not { } newest || newest.Sequence < sequence) _newestHello[device] = new NewestHello(sequence, session, epoch);

        using DbCommand latest = Command("""
            UPDATE devices SET latest_session = @x, latest_hello_sequence = @q, model_id = @m
            WHERE device_id = @d AND (latest_hello_sequence IS NULL OR latest_hello_sequence < @q);
            """).With("@d", device).With("@q", sequence).With("@x", session).With("@m", hello.ModelId ?? "");
        latest.ExecuteNonQuery();

        // Over MQTT a Hello can arrive after the frames it governs: those between it and the next stored Hello are its.
        foreach (string table in GovernedTables)
        {
            using DbCommand reassign = Command($"""
                UPDATE {table} SET session_id = @x, time_unix_ms = @e + time_ms
                WHERE device_id = @d AND sequence > @q
                  AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.device_id = @d AND s.hello_sequence > @q AND s.hello_sequence < {table}.sequence);
                """).With("@d", device).With("@q", sequence).With("@x", session).With("@e", epoch);
            reassign.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// A command inserting into <paramref name="table"/> the columns every stored frame has (device, sequence,
    /// governing session, offset, absolute time, received time) and then <paramref name="columns"/>, bound by the caller.
    /// </summary>
    private DbCommand FrameInsert(string table, string device, ulong sequence, uint timeMs, params string[] columns)
    {
        DbCommand command = Command($"""
            INSERT INTO {table} (device_id, sequence, session_id, time_ms, time_unix_ms, received_ms, {string.Join(", ", columns)})
            VALUES (@d, @s, @x, @m, @a, @t, {string.Join(", ", columns.Select(c => "@" + c))});
            """);
        (long session, long? epoch) = Governing(device, sequence);
        // No Hello governs it (yet): its offset is kept and its absolute time stays null until one arrives.
        return command.With("@d", device).With("@s", Sql.Signed(sequence)).With("@x", session).With("@m", (long)timeMs).With("@a", epoch + timeMs).With("@t", _now);
    }

    private void WritePrediction(string device, PredictionFrame prediction)
    {
        using DbCommand command = FrameInsert("predictions", device, prediction.Sequence, prediction.TimeMs,
                "status", "anomaly_level", "probabilities", "output_values", "historical")
            .With("@status", (long)prediction.Status).With("@anomaly_level", (long)prediction.AnomalyLevel)
            .With("@probabilities", prediction.Probabilities.ToArray()).With("@output_values", ValueBlob.FromFloats(prediction.Values.Span))
            .With("@historical", Historical(prediction.Flags));
        command.ExecuteNonQuery();
    }

    private void WriteAlarm(string device, AlarmFrame alarm)
    {
        using DbCommand command = FrameInsert("alarms", device, alarm.Sequence, alarm.TimeMs,
                "raised", "class_index", "score", "duration_ms", "degraded", "historical")
            .With("@raised", alarm.Raised ? 1L : 0L).With("@class_index", (long)alarm.ClassIndex).WithReal("@score", alarm.Score)
            .With("@duration_ms", (long)alarm.DurationMs).With("@degraded", alarm.Degraded ? 1L : 0L).With("@historical", Historical(alarm.Flags));
        command.ExecuteNonQuery();
    }

    private void WriteEvent(string device, EventFrame boardEvent)
    {
        using DbCommand command = FrameInsert("events", device, boardEvent.Sequence, boardEvent.TimeMs, "kind", "update_version", "model_id", "message")
            .With("@kind", (long)boardEvent.Kind).With("@update_version", Sql.Signed(boardEvent.UpdateVersion))
            .With("@model_id", boardEvent.ModelId ?? "").With("@message", boardEvent.Message ?? "");
        command.ExecuteNonQuery();
    }

    private void WriteHealth(string device, HealthFrame health)
    {
        using DbCommand command = FrameInsert("health", device, health.Sequence, health.TimeMs,
                "uptime_seconds", "samples_read", "overruns", "channel_read_errors", "inference_p50_us", "inference_p99_us", "inference_max_us",
                "send_queue_depth", "send_queue_drops", "cpu_temperature_mc", "journal_backlog", "journal_evictions", "journal_damaged",
                "channel_read_timeouts", "channel_non_finite", "model_resets", "historical", "alarm_thresholds")
            .With("@uptime_seconds", (long)health.UptimeSeconds).With("@samples_read", Sql.Signed(health.SamplesRead)).With("@overruns", (long)health.Overruns)
            .With("@channel_read_errors", Json(health.ChannelReadErrors.Span)).With("@inference_p50_us", (long)health.InferenceP50Us)
            .With("@inference_p99_us", (long)health.InferenceP99Us).With("@inference_max_us", (long)health.InferenceMaxUs)
            .With("@send_queue_depth", (long)health.SendQueueDepth).With("@send_queue_drops", (long)health.SendQueueDrops)
            .With("@cpu_temperature_mc", health.CpuTemperatureMilliCelsius).With("@journal_backlog", (long)health.JournalBacklog)
            .With("@journal_evictions", Sql.Signed(health.JournalEvictions)).With("@journal_damaged", (long)health.JournalDamaged)
            .With("@channel_read_timeouts", Json(health.ChannelReadTimeouts.Span)).With("@channel_non_finite", Json(health.ChannelNonFinite.Span))
            .With("@model_resets", (long)health.ModelResets).With("@historical", Historical(health.Flags))
            .With("@alarm_thresholds", ValueBlob.FromFloats(health.AlarmThresholds.Span));
        command.ExecuteNonQuery();
    }

    private static long Historical(FrameFlags flags) => (flags & FrameFlags.Historical) != 0 ? 1 : 0;

    private static string Json(ReadOnlySpan<uint> counts) => JsonSerializer.Serialize(counts.ToArray(), CollectorJson.Default.UInt32Array);
}
