using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Postgres;
using EdgeLstm.Collector.Tests.Servers;
using Npgsql;

namespace EdgeLstm.Collector.Tests.Storage;

/// <summary>The shared store rules on PostgreSQL, and what only it has: advisory-locked migrations, monthly partitions, several writers.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresFrameStoreTests(PostgresServer server) : FrameStoreContract, INeedPostgres
{
    private NpgsqlConnectionStringBuilder? _settings;

    /// <summary>This test's database, created on first use.</summary>
    private NpgsqlConnectionStringBuilder Settings => _settings ??= server.CreateDatabase();

    private protected override IFrameStore Open() => new PostgresFrameStore(Settings);

    private T Scalar<T>(string sql)
    {
        using var connection = new NpgsqlConnection(Settings.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    [PostgresFact]
    public void An_empty_database_is_migrated_once_and_a_newer_one_is_refused()
    {
        using (var store = new PostgresFrameStore(Settings))
        {
            Assert.Equal(0, store.SchemaVersionAtOpen);
            Assert.Equal(PostgresMigrations.Latest, store.SchemaVersion);
        }
        using (var again = new PostgresFrameStore(Settings)) Assert.Equal(PostgresMigrations.Latest, again.SchemaVersionAtOpen);
        Assert.Equal(PostgresMigrations.Latest, Scalar<long>("SELECT COUNT(*) FROM schema_version;"));

        Scalar<object>("INSERT INTO schema_version (version, applied_ms) VALUES (999, 0) RETURNING 1;");
        var e = Assert.Throws<InvalidOperationException>(() => new PostgresFrameStore(Settings));
        Assert.Contains("999", e.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void A_version_4_database_gains_events_and_pushes_and_keeps_its_frames()
    {
        using (var connection = new NpgsqlConnection(Settings.ConnectionString))
        {
            connection.Open();
            new SchemaMigrator(PostgresMigrations.All.Take(4).ToList(), "").Apply(connection);
        }
        // Version 4's own partitions and rows, written by a version-4 collector's rules: the frames below are its.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        Scalar<object>($"""
            INSERT INTO devices (device_id, first_seen_ms, last_seen_ms, highest_sequence) VALUES ('pump-07', 1, 1, 1);
            INSERT INTO frames (device_id, sequence, type, received_ms) VALUES ('pump-07', 0, 1, 1234), ('pump-07', 1, 2, 1234);
            INSERT INTO sessions (device_id, hello_sequence, session_id, protocol_version, model_id, firmware, channel_names, output_labels, sample_rate_hz, epoch_unix_ms, received_ms)
            VALUES ('pump-07', 0, 5, 2, 'm', 'f', '[]', '[]', 100, {Frames.Epoch}, 1234);
            SELECT 1;
            """);

        using var store = new PostgresFrameStore(Settings, clock);
        Assert.Equal((4, 5), (store.SchemaVersionAtOpen, store.SchemaVersion));
        Assert.Empty(store.Events("pump-07", default));
        Assert.Equal(new CommitResult(1, 1, 0, 0), store.Commit(Frames.ReceivedWithoutLinkSession("pump-07", Frames.Hello(0), Frames.Event(2))));
        EventRecord stored = Assert.Single(store.Events("pump-07", default));
        Assert.Equal((5UL, (long?)Frames.Epoch + 20), (stored.SessionId, stored.TimeUnixMs));
    }

    [PostgresFact]
    public void Collectors_starting_together_run_each_migration_once()
    {
        NpgsqlConnectionStringBuilder settings = Settings;
        PostgresFrameStore[] stores = new PostgresFrameStore[4];
        Parallel.For(0, stores.Length, new ParallelOptions { MaxDegreeOfParallelism = stores.Length }, i => stores[i] = new PostgresFrameStore(settings));
        foreach (PostgresFrameStore store in stores) store.Dispose();

        Assert.Single(stores, s => s.SchemaVersionAtOpen == 0);
        Assert.Equal(PostgresMigrations.Latest, Scalar<long>("SELECT COUNT(DISTINCT version) FROM schema_version;"));
        Assert.Equal(PostgresMigrations.Latest, Scalar<long>("SELECT COUNT(*) FROM schema_version;"));
    }

    [PostgresFact]
    public void Frames_of_two_months_land_in_two_partitions_and_queries_span_them_until_one_is_dropped()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero));
        using var store = new PostgresFrameStore(Settings, clock);
        store.Commit(Frames.Received("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Alarm(2, raised: true)));
        clock.Now = new DateTimeOffset(2026, 12, 1, 0, 1, 0, TimeSpan.Zero);
        store.Commit(Frames.Received("pump-07", Frames.Prediction(3), Frames.Alarm(4, raised: false), Frames.Health(5)));

        Assert.Equal("predictions_2026_11,predictions_2026_12", Scalar<string>("SELECT string_agg(tableoid::regclass::text, ',' ORDER BY sequence) FROM predictions;"));
        Assert.Equal("alarms_2026_11,alarms_2026_12", Scalar<string>("SELECT string_agg(tableoid::regclass::text, ',' ORDER BY sequence) FROM alarms;"));
        Assert.Equal("health_2026_12", Scalar<string>("SELECT string_agg(tableoid::regclass::text, ',') FROM health;"));
        Assert.Equal([1UL, 3UL], store.Predictions("pump-07", default).Select(p => p.Sequence));
        Assert.Empty(store.Alarms("pump-07", openOnly: true)); // the clear in December closes the raise of November

        // Retention: a month goes by dropping its partitions; de-duplication still knows its frames.
        Scalar<object>("DROP TABLE predictions_2026_11; DROP TABLE alarms_2026_11; SELECT 1;");
        Assert.Equal([3UL], store.Predictions("pump-07", default).Select(p => p.Sequence));
        Assert.Equal(0, store.Commit(Frames.Received("pump-07", Frames.Prediction(1))).Stored);
    }

    [PostgresFact]
    public void Two_collectors_writing_one_device_at_once_store_every_frame_once()
    {
        NpgsqlConnectionStringBuilder settings = Settings;
        using var first = new PostgresFrameStore(settings);
        using var second = new PostgresFrameStore(settings);
        // Overlapping halves, as a shared subscription might split one board's frames (and redeliver some) between two collectors.
        List<ReceivedFrame>[] Batches(int from, int to) => [.. Enumerable.Range(from, to - from).Chunk(10)
            .Select(chunk => Frames.ReceivedWithoutLinkSession("pump-07", [.. chunk.Select(s => s == 0 ? (EdgeLstm.Protocol.IWireFrame)Frames.Hello(0) : Frames.Prediction((ulong)s))]))];
        List<ReceivedFrame>[] a = Batches(0, 300), b = Batches(100, 400);
        var results = new System.Collections.Concurrent.ConcurrentBag<CommitResult>();
        using var start = new Barrier(2);
        void Write(PostgresFrameStore store, List<ReceivedFrame>[] batches)
        {
            start.SignalAndWait();
            foreach (List<ReceivedFrame> batch in batches) results.Add(store.Commit(batch));
        }
        Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = 2 }, () => Write(first, a), () => Write(second, b));

        Assert.Equal(400, results.Sum(r => r.Stored));
        Assert.Equal(200, results.Sum(r => r.Duplicates));
        DeviceRecord device = Assert.Single(first.Devices());
        Assert.Equal((400L, (ulong?)399, 0L), (device.Frames, device.HighestSequence, device.OpenGaps));
        Assert.Equal(Enumerable.Range(1, 399).Select(s => (ulong)s), first.Predictions("pump-07", default).Select(p => p.Sequence));
        IReadOnlyList<GapRecord> gaps = first.Gaps("pump-07");
        Assert.All(gaps, g => Assert.NotNull(g.ClosedUnixMs));
        Assert.All(gaps.Zip(gaps.Skip(1)), pair => Assert.True(pair.First.ToSequence < pair.Second.FromSequence, "gaps overlap"));
    }

    /// <summary>A clock the test sets.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
