using System.Data.Common;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Storage;

/// <summary>
/// The writes of one batch inside one open transaction, the same for every store: de-duplication on (device,
/// sequence) through <c>frames</c>' key (<c>INSERT … ON CONFLICT DO NOTHING</c>: exact even with several writers),
/// gap bookkeeping after <see cref="GapArithmetic"/>, and one row per new frame through <see cref="FrameRows"/>.
/// </summary>
internal sealed class BatchWriter
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly long _now;
    private readonly FrameRows _rows;

    // Each device's highest stored sequence, read at its first frame in the batch and written back once at the end
    // (the batch holds the device's row lock): two statements a device, not two a frame.
    private readonly Dictionary<string, ulong?> _highest = new(StringComparer.Ordinal);
    private readonly HashSet<string> _raised = new(StringComparer.Ordinal);
    private int _stored;
    private int _duplicates;
    private int _gapsOpened;
    private int _gapsClosed;

    /// <summary>Writes into <paramref name="transaction"/>, stamping rows with <paramref name="nowUnixMs"/>.</summary>
    public BatchWriter(DbConnection connection, DbTransaction transaction, long nowUnixMs)
    {
        _connection = connection;
        _transaction = transaction;
        _now = nowUnixMs;
        _rows = new FrameRows(connection, transaction, nowUnixMs);
    }

    /// <summary>What the writes so far did.</summary>
    public CommitResult Result => new(_stored, _duplicates, _gapsOpened, _gapsClosed);

    /// <summary>Stores the frames of <paramref name="batch"/> that are new, counts the others as duplicates.</summary>
    public void Write(IReadOnlyList<ReceivedFrame> batch)
    {
        // The device rows are locked (the upsert's row lock, held to commit) before any frame, in one order: two
        // writers of one device take turns on its highest sequence and gaps, and two batches never wait in a circle.
        foreach (string device in batch.Select(f => f.DeviceId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) LockDevice(device);
        foreach (ReceivedFrame frame in batch) Write(frame);
        foreach (string device in _raised)
        {
            using DbCommand update = Command("UPDATE devices SET highest_sequence = @s WHERE device_id = @d;").With("@d", device).With("@s", Sql.Signed(_highest[device]!.Value));
            update.ExecuteNonQuery();
        }
        _raised.Clear();
    }

    private ulong? Highest(string device)
    {
        if (_highest.TryGetValue(device, out ulong? known)) return known;
        using DbCommand read = Command("SELECT highest_sequence FROM devices WHERE device_id = @d;").With("@d", device);
        ulong? highest = read.ExecuteScalar() is long h ? unchecked((ulong)h) : null;
        _highest[device] = highest;
        return highest;
    }

    private void Write(in ReceivedFrame received)
    {
        DecodeResult frame = received.Frame;
        ulong sequence = frame.FrameType switch
        {
            FrameType.Hello => frame.Hello.Sequence,
            FrameType.Prediction => frame.Prediction.Sequence,
            FrameType.Alarm => frame.Alarm.Sequence,
            FrameType.Health => frame.Health.Sequence,
            FrameType.Event => frame.Event.Sequence,
            _ => throw new ArgumentException($"a {frame} is not stored", nameof(received)),
        };
        if (!ClaimSequence(received.DeviceId, sequence, frame.FrameType))
        {
            _duplicates++;
            return;
        }
        _stored++;
        // Session 0: the link does not know it (MQTT has no link Hello); the frame's own Hello names it.
        ulong session = received.LinkSessionId != 0 ? received.LinkSessionId : unchecked((ulong)_rows.Governing(received.DeviceId, sequence).Session);
        TrackGaps(received.DeviceId, session, sequence);
        _rows.Write(received.DeviceId, frame);
    }

    private DbCommand Command(string sql) => Sql.Command(_connection, _transaction, sql);

    private void LockDevice(string device)
    {
        using DbCommand command = Command("""
            INSERT INTO devices (device_id, first_seen_ms, last_seen_ms) VALUES (@d, @t, @t)
            ON CONFLICT (device_id) DO UPDATE SET last_seen_ms = @t;
            """).With("@d", device).With("@t", _now);
        command.ExecuteNonQuery();
    }

    /// <summary>True when (device, sequence) was new: the frame is to be stored.</summary>
    private bool ClaimSequence(string device, ulong sequence, FrameType type)
    {
        using DbCommand command = Command("INSERT INTO frames (device_id, sequence, type, received_ms) VALUES (@d, @s, @y, @t) ON CONFLICT (device_id, sequence) DO NOTHING;")
            .With("@d", device).With("@s", Sql.Signed(sequence)).With("@y", (long)type).With("@t", _now);
        return command.ExecuteNonQuery() == 1;
    }

    private void TrackGaps(string device, ulong session, ulong sequence)
    {
        ulong? highest = Highest(device);
        if (!GapArithmetic.IsNewHighest(highest, sequence))
        {
            FillGap(device, sequence);
            return;
        }
        if (GapArithmetic.Opened(highest, sequence) is SequenceRange opened)
        {
            InsertGap(device, Sql.Signed(session), opened, _now);
            _gapsOpened++;
        }
        _highest[device] = sequence;
        _raised.Add(device);
    }

    private void InsertGap(string device, long session, SequenceRange range, long detectedMs)
    {
        using DbCommand insert = Command("INSERT INTO gaps (device_id, session_id, from_sequence, to_sequence, detected_ms) VALUES (@d, @x, @f, @u, @t);")
            .With("@d", device).With("@x", session).With("@f", Sql.Signed(range.From)).With("@u", Sql.Signed(range.To)).With("@t", detectedMs);
        insert.ExecuteNonQuery();
    }

    private void FillGap(string device, ulong sequence)
    {
        using DbCommand find = Command("""
            SELECT gap_id, session_id, from_sequence, to_sequence, detected_ms FROM gaps
            WHERE device_id = @d AND closed_ms IS NULL AND from_sequence <= @s AND to_sequence >= @s LIMIT 1;
            """).With("@d", device).With("@s", Sql.Signed(sequence));
        long id, session, detected;
        SequenceRange gap;
        using (DbDataReader reader = find.ExecuteReader())
        {
            if (!reader.Read()) return; // below the highest but in no open gap: a number the device skipped never existed
            (id, session, gap, detected) = (reader.GetInt64(0), reader.GetInt64(1), new SequenceRange(reader.Unsigned(2), reader.Unsigned(3)), reader.GetInt64(4));
        }
        (SequenceRange? below, SequenceRange? above) = GapArithmetic.Fill(gap, sequence);
        if ((below ?? above) is not SequenceRange kept)
        {
            using DbCommand close = Command("UPDATE gaps SET closed_ms = @t WHERE gap_id = @i;").With("@t", _now).With("@i", id);
            close.ExecuteNonQuery();
            _gapsClosed++;
            return;
        }
        // The part below the frame stays in this row, the part above (if both remain) becomes a row of its own.
        using DbCommand shrink = Command("UPDATE gaps SET from_sequence = @f, to_sequence = @u WHERE gap_id = @i;")
            .With("@i", id).With("@f", Sql.Signed(kept.From)).With("@u", Sql.Signed(kept.To));
        shrink.ExecuteNonQuery();
        if (below is not null && above is SequenceRange split) InsertGap(device, session, split, detected);
    }
}
