using System.Text.Json;
using EdgeLstm.Protocol;
using Microsoft.Data.Sqlite;

namespace EdgeLstm.Collector.Storage;

/// <summary>
/// The writes of one batch inside one open transaction: de-duplication on (device, sequence) through the
/// <c>frames</c> table's key, gap bookkeeping, and one row per frame in its type's table. Every value is a parameter.
/// </summary>
/// <remarks>Sequences and session ids are uint64 on the wire and stored as SQLite's signed 64-bit INTEGER, bit for bit.</remarks>
internal sealed class SqliteBatchWriter
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly long _now;
    private int _stored;
    private int _duplicates;
    private int _gapsOpened;
    private int _gapsClosed;

    /// <summary>Writes into <paramref name="transaction"/>, stamping rows with <paramref name="nowUnixMs"/>.</summary>
    public SqliteBatchWriter(SqliteConnection connection, SqliteTransaction transaction, long nowUnixMs)
    {
        _connection = connection;
        _transaction = transaction;
        _now = nowUnixMs;
    }

    /// <summary>What the writes so far did.</summary>
    public CommitResult Result => new(_stored, _duplicates, _gapsOpened, _gapsClosed);

    /// <summary>Stores one frame, or counts it as a duplicate.</summary>
    public void Write(in ReceivedFrame received)
    {
        DecodeResult frame = received.Frame;
        ulong sequence = frame.FrameType switch
        {
            FrameType.Hello => frame.Hello.Sequence,
            FrameType.Prediction => frame.Prediction.Sequence,
            FrameType.Alarm => frame.Alarm.Sequence,
            FrameType.Health => frame.Health.Sequence,
            _ => throw new ArgumentException($"a {frame} is not stored", nameof(received)),
        };
        TouchDevice(received.DeviceId);
        if (!ClaimSequence(received.DeviceId, sequence, frame.FrameType))
        {
            _duplicates++;
            return;
        }
        _stored++;
        TrackGaps(received.DeviceId, received.LinkSessionId, sequence);
        switch (frame.FrameType)
        {
            case FrameType.Hello:
                WriteHello(received.DeviceId, frame.Hello);
                break;
            case FrameType.Prediction:
                WritePrediction(received.DeviceId, frame.Prediction);
                break;
            case FrameType.Alarm:
                WriteAlarm(received.DeviceId, frame.Alarm);
                break;
            default:
                WriteHealth(received.DeviceId, frame.Health);
                break;
        }
    }

    private SqliteCommand Command(string sql)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    private static long Signed(ulong value) => unchecked((long)value);

    private void TouchDevice(string device)
    {
        using SqliteCommand command = Command("""
            INSERT INTO devices (device_id, first_seen_ms, last_seen_ms) VALUES ($d, $t, $t)
            ON CONFLICT (device_id) DO UPDATE SET last_seen_ms = $t;
            """);
        command.Parameters.AddWithValue("$d", device);
        command.Parameters.AddWithValue("$t", _now);
        command.ExecuteNonQuery();
    }

    /// <summary>True when (device, sequence) was new: the frame is to be stored.</summary>
    private bool ClaimSequence(string device, ulong sequence, FrameType type)
    {
        using SqliteCommand command = Command("INSERT OR IGNORE INTO frames (device_id, sequence, type, received_ms) VALUES ($d, $s, $y, $t);");
        command.Parameters.AddWithValue("$d", device);
        command.Parameters.AddWithValue("$s", Signed(sequence));
        command.Parameters.AddWithValue("$y", (int)type);
        command.Parameters.AddWithValue("$t", _now);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// A jump of the device's highest sequence by more than one opens a gap of the numbers between; a new frame below
    /// the highest fills its gap, which is split around it, or closed when it was the last one missing.
    /// </summary>
    private void TrackGaps(string device, ulong session, ulong sequence)
    {
        using SqliteCommand read = Command("SELECT highest_sequence FROM devices WHERE device_id = $d;");
        read.Parameters.AddWithValue("$d", device);
        object? value = read.ExecuteScalar();
        ulong? highest = value is long h ? unchecked((ulong)h) : null;
        if (highest is null || sequence > highest)
        {
            if (highest is ulong top && sequence > top + 1)
            {
                using SqliteCommand gap = Command("INSERT INTO gaps (device_id, session_id, from_sequence, to_sequence, detected_ms) VALUES ($d, $x, $f, $u, $t);");
                gap.Parameters.AddWithValue("$d", device);
                gap.Parameters.AddWithValue("$x", Signed(session));
                gap.Parameters.AddWithValue("$f", Signed(top + 1));
                gap.Parameters.AddWithValue("$u", Signed(sequence - 1));
                gap.Parameters.AddWithValue("$t", _now);
                gap.ExecuteNonQuery();
                _gapsOpened++;
            }
            using SqliteCommand update = Command("UPDATE devices SET highest_sequence = $s WHERE device_id = $d;");
            update.Parameters.AddWithValue("$d", device);
            update.Parameters.AddWithValue("$s", Signed(sequence));
            update.ExecuteNonQuery();
            return;
        }
        FillGap(device, sequence);
    }

    private void FillGap(string device, ulong sequence)
    {
        using SqliteCommand find = Command("""
            SELECT gap_id, session_id, from_sequence, to_sequence, detected_ms FROM gaps
            WHERE device_id = $d AND closed_ms IS NULL AND from_sequence <= $s AND to_sequence >= $s LIMIT 1;
            """);
        find.Parameters.AddWithValue("$d", device);
        find.Parameters.AddWithValue("$s", Signed(sequence));
        long id, session, from, to, detected;
        using (SqliteDataReader reader = find.ExecuteReader())
        {
            if (!reader.Read()) return; // below the highest but in no open gap: a number the device skipped never existed
            (id, session, from, to, detected) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        }
        long s = Signed(sequence);
        if (from == s && to == s)
        {
            using SqliteCommand close = Command("UPDATE gaps SET closed_ms = $t WHERE gap_id = $i;");
            close.Parameters.AddWithValue("$t", _now);
            close.Parameters.AddWithValue("$i", id);
            close.ExecuteNonQuery();
            _gapsClosed++;
            return;
        }
        // The part below the frame stays in this row, the part above (if any) becomes a row of its own.
        using SqliteCommand shrink = Command("UPDATE gaps SET from_sequence = $f, to_sequence = $u WHERE gap_id = $i;");
        shrink.Parameters.AddWithValue("$i", id);
        shrink.Parameters.AddWithValue("$f", from == s ? s + 1 : from);
        shrink.Parameters.AddWithValue("$u", from == s ? to : s - 1);
        shrink.ExecuteNonQuery();
        if (from < s && s < to)
        {
            using SqliteCommand split = Command("INSERT INTO gaps (device_id, session_id, from_sequence, to_sequence, detected_ms) VALUES ($d, $x, $f, $u, $t);");
            split.Parameters.AddWithValue("$d", device);
            split.Parameters.AddWithValue("$x", session);
            split.Parameters.AddWithValue("$f", s + 1);
            split.Parameters.AddWithValue("$u", to);
            split.Parameters.AddWithValue("$t", detected);
            split.ExecuteNonQuery();
        }
    }

    private void WriteHello(string device, HelloFrame hello)
    {
        using SqliteCommand insert = Command("""
            INSERT OR IGNORE INTO sessions (device_id, hello_sequence, session_id, protocol_version, model_id, firmware, channel_names,
                output_labels, sample_rate_hz, epoch_unix_ms, received_ms)
            VALUES ($d, $q, $x, $p, $m, $f, $c, $o, $r, $e, $t);
            """);
        insert.Parameters.AddWithValue("$d", device);
        insert.Parameters.AddWithValue("$q", Signed(hello.Sequence));
        insert.Parameters.AddWithValue("$x", Signed(hello.SessionId));
        insert.Parameters.AddWithValue("$p", (int)hello.ProtocolVersion);
        insert.Parameters.AddWithValue("$m", hello.ModelId ?? "");
        insert.Parameters.AddWithValue("$f", hello.FirmwareVersion ?? "");
        insert.Parameters.AddWithValue("$c", JsonSerializer.Serialize(hello.ChannelNames ?? [], CollectorJson.Default.IReadOnlyListString));
        insert.Parameters.AddWithValue("$o", JsonSerializer.Serialize(hello.OutputLabels ?? [], CollectorJson.Default.IReadOnlyListString));
        insert.Parameters.AddWithValue("$r", (double)hello.SampleRateHz);
        insert.Parameters.AddWithValue("$e", Signed(hello.EpochUnixMs));
        insert.Parameters.AddWithValue("$t", _now);
        insert.ExecuteNonQuery();

        using SqliteCommand latest = Command("""
            UPDATE devices SET latest_session = $x, latest_hello_sequence = $q, model_id = $m
            WHERE device_id = $d AND (latest_hello_sequence IS NULL OR latest_hello_sequence < $q);
            """);
        latest.Parameters.AddWithValue("$d", device);
        latest.Parameters.AddWithValue("$q", Signed(hello.Sequence));
        latest.Parameters.AddWithValue("$x", Signed(hello.SessionId));
        latest.Parameters.AddWithValue("$m", hello.ModelId ?? "");
        latest.ExecuteNonQuery();
    }

    /// <summary>The session and epoch of the latest Hello below <paramref name="sequence"/>: the one the frame belongs to.</summary>
    private (long Session, long? Epoch) Governing(string device, ulong sequence)
    {
        using SqliteCommand command = Command("""
            SELECT session_id, epoch_unix_ms FROM sessions WHERE device_id = $d AND hello_sequence < $s
            ORDER BY hello_sequence DESC LIMIT 1;
            """);
        command.Parameters.AddWithValue("$d", device);
        command.Parameters.AddWithValue("$s", Signed(sequence));
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, null);
    }

    /// <summary>The columns every stored frame has: device ($d), sequence ($s), governing session ($x), offset ($m) and absolute time ($a).</summary>
    private void AddFrameColumns(SqliteCommand command, string device, ulong sequence, uint timeMs)
    {
        (long session, long? epoch) = Governing(device, sequence);
        command.Parameters.AddWithValue("$d", device);
        command.Parameters.AddWithValue("$s", Signed(sequence));
        command.Parameters.AddWithValue("$x", session);
        command.Parameters.AddWithValue("$m", (long)timeMs);
        if (epoch is long e) command.Parameters.AddWithValue("$a", e + timeMs);
        else command.Parameters.AddWithValue("$a", DBNull.Value); // no Hello governs it (yet): its offset is kept
    }

    private void WritePrediction(string device, PredictionFrame prediction)
    {
        using SqliteCommand command = Command("""
            INSERT INTO predictions (device_id, sequence, session_id, time_ms, time_unix_ms, status, anomaly_level, probabilities, output_values, historical)
            VALUES ($d, $s, $x, $m, $a, $st, $l, $p, $v, $h);
            """);
        AddFrameColumns(command, device, prediction.Sequence, prediction.TimeMs);
        command.Parameters.AddWithValue("$st", (int)prediction.Status);
        command.Parameters.AddWithValue("$l", (int)prediction.AnomalyLevel);
        command.Parameters.AddWithValue("$p", prediction.Probabilities.ToArray());
        command.Parameters.AddWithValue("$v", ValueBlob.FromFloats(prediction.Values.Span));
        command.Parameters.AddWithValue("$h", IsHistorical(prediction.Flags));
        command.ExecuteNonQuery();
    }

    private void WriteAlarm(string device, AlarmFrame alarm)
    {
        using SqliteCommand command = Command("""
            INSERT INTO alarms (device_id, sequence, session_id, time_ms, time_unix_ms, raised, class_index, score, duration_ms, degraded, historical)
            VALUES ($d, $s, $x, $m, $a, $r, $c, $sc, $du, $dg, $h);
            """);
        AddFrameColumns(command, device, alarm.Sequence, alarm.TimeMs);
        command.Parameters.AddWithValue("$r", alarm.Raised ? 1 : 0);
        command.Parameters.AddWithValue("$c", alarm.ClassIndex);
        command.Parameters.AddWithValue("$sc", (double)alarm.Score);
        command.Parameters.AddWithValue("$du", (long)alarm.DurationMs);
        command.Parameters.AddWithValue("$dg", alarm.Degraded ? 1 : 0);
        command.Parameters.AddWithValue("$h", IsHistorical(alarm.Flags));
        command.ExecuteNonQuery();
    }

    private void WriteHealth(string device, HealthFrame health)
    {
        using SqliteCommand command = Command("""
            INSERT INTO health (device_id, sequence, session_id, time_ms, time_unix_ms, uptime_seconds, samples_read, overruns, channel_read_errors,
                inference_p50_us, inference_p99_us, inference_max_us, send_queue_depth, send_queue_drops, cpu_temperature_mc,
                journal_backlog, journal_evictions, journal_damaged, channel_read_timeouts, channel_non_finite, model_resets, historical)
            VALUES ($d, $s, $x, $m, $a, $up, $sr, $ov, $cre, $p50, $p99, $pmax, $qd, $qdr, $cpu, $jb, $je, $jd, $crt, $cnf, $mr, $h);
            """);
        AddFrameColumns(command, device, health.Sequence, health.TimeMs);
        command.Parameters.AddWithValue("$up", (long)health.UptimeSeconds);
        command.Parameters.AddWithValue("$sr", Signed(health.SamplesRead));
        command.Parameters.AddWithValue("$ov", (long)health.Overruns);
        command.Parameters.AddWithValue("$cre", Json(health.ChannelReadErrors.Span));
        command.Parameters.AddWithValue("$p50", (long)health.InferenceP50Us);
        command.Parameters.AddWithValue("$p99", (long)health.InferenceP99Us);
        command.Parameters.AddWithValue("$pmax", (long)health.InferenceMaxUs);
        command.Parameters.AddWithValue("$qd", (long)health.SendQueueDepth);
        command.Parameters.AddWithValue("$qdr", (long)health.SendQueueDrops);
        command.Parameters.AddWithValue("$cpu", health.CpuTemperatureMilliCelsius is int c ? c : DBNull.Value);
        command.Parameters.AddWithValue("$jb", (long)health.JournalBacklog);
        command.Parameters.AddWithValue("$je", Signed(health.JournalEvictions));
        command.Parameters.AddWithValue("$jd", (long)health.JournalDamaged);
        command.Parameters.AddWithValue("$crt", Json(health.ChannelReadTimeouts.Span));
        command.Parameters.AddWithValue("$cnf", Json(health.ChannelNonFinite.Span));
        command.Parameters.AddWithValue("$mr", (long)health.ModelResets);
        command.Parameters.AddWithValue("$h", IsHistorical(health.Flags));
        command.ExecuteNonQuery();
    }

    private static int IsHistorical(FrameFlags flags) => (flags & FrameFlags.Historical) != 0 ? 1 : 0;

    private static string Json(ReadOnlySpan<uint> counts) => JsonSerializer.Serialize(counts.ToArray(), CollectorJson.Default.UInt32Array);
}

/// <summary>Prediction values as a blob: float32 little-endian, one after another.</summary>
internal static class ValueBlob
{
    /// <summary>The blob of <paramref name="values"/>.</summary>
    public static byte[] FromFloats(ReadOnlySpan<float> values)
    {
        byte[] blob = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(blob.AsSpan(i * sizeof(float)), values[i]);
        return blob;
    }

    /// <summary>The values of a blob <see cref="FromFloats"/> wrote.</summary>
    public static float[] ToFloats(byte[] blob)
    {
        float[] values = new float[blob.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            values[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(blob.AsSpan(i * sizeof(float)));
        return values;
    }
}
