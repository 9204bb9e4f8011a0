using EdgeLstm.Collector.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeLstm.Collector.Tests.Storage;

public sealed class SqliteFrameStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void An_empty_database_is_migrated_to_the_latest_schema_in_WAL_mode()
    {
        using var store = new SqliteFrameStore(_database.Path);
        Assert.Equal(0, store.SchemaVersionAtOpen);
        Assert.Equal(SqliteMigrations.Latest, store.SchemaVersion);

        using var connection = new SqliteConnection($"Data Source={_database.Path}");
        connection.Open();
        using SqliteCommand mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)mode.ExecuteScalar());
        using SqliteCommand tables = connection.CreateCommand();
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;";
        var names = new List<string>();
        using (SqliteDataReader reader = tables.ExecuteReader())
        {
            while (reader.Read()) names.Add(reader.GetString(0));
        }
        Assert.Equal(["alarms", "devices", "frames", "gaps", "health", "predictions", "schema_version", "sessions"], names);
    }

    [Fact]
    public void An_existing_database_keeps_its_data_and_is_not_migrated_again()
    {
        using (var store = new SqliteFrameStore(_database.Path))
        {
            store.Commit(Frames.Received("pump-07", Frames.Hello(0), Frames.Prediction(1)));
        }
        using (var again = new SqliteFrameStore(_database.Path))
        {
            Assert.Equal(SqliteMigrations.Latest, again.SchemaVersionAtOpen);
            Assert.Single(again.Predictions("pump-07", default));
        }
        using var connection = new SqliteConnection($"Data Source={_database.Path}");
        connection.Open();
        using SqliteCommand versions = connection.CreateCommand();
        versions.CommandText = "SELECT COUNT(*) FROM schema_version;";
        Assert.Equal((long)SqliteMigrations.Latest, (long)versions.ExecuteScalar()!);
    }

    [Fact]
    public void A_database_newer_than_the_program_is_refused()
    {
        using (var store = new SqliteFrameStore(_database.Path))
        {
        }
        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand bump = connection.CreateCommand();
            bump.CommandText = "INSERT INTO schema_version (version, applied_ms) VALUES (999, 0);";
            bump.ExecuteNonQuery();
        }
        var e = Assert.Throws<InvalidOperationException>(() => new SqliteFrameStore(_database.Path));
        Assert.Contains("999", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_frames_twice_are_stored_once_and_counted_as_duplicates()
    {
        using var store = new SqliteFrameStore(_database.Path);
        List<ReceivedFrame> batch = Frames.Received("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Alarm(2, raised: true), Frames.Prediction(3));

        CommitResult first = store.Commit(batch);
        CommitResult second = store.Commit(batch);

        Assert.Equal(new CommitResult(4, 0, 0, 0), first);
        Assert.Equal(new CommitResult(0, 4, 0, 0), second);
        IReadOnlyList<PredictionRecord> predictions = store.Predictions("pump-07", default);
        Assert.Equal([1UL, 3UL], predictions.Select(p => p.Sequence));
        Assert.Equal((long)(Frames.Epoch + 30), predictions[1].TimeUnixMs); // epoch + timeMs of the governing Hello
        Assert.Equal([200, 55], predictions[0].Probabilities);
        Assert.Single(store.Alarms("pump-07", openOnly: true));
        DeviceRecord device = Assert.Single(store.Devices());
        Assert.Equal(4, device.Frames);
        Assert.Equal(Frames.Session, device.LatestSession);
    }

    [Fact]
    public void The_same_sequence_from_another_device_is_not_a_duplicate()
    {
        using var store = new SqliteFrameStore(_database.Path);
        store.Commit(Frames.Received("a", Frames.Hello(0, "a"), Frames.Prediction(1)));
        CommitResult other = store.Commit(Frames.Received("b", Frames.Hello(0, "b"), Frames.Prediction(1)));
        Assert.Equal(2, other.Stored);
        Assert.Equal(2, store.Devices().Count);
    }

    [Fact]
    public void A_jump_records_a_gap_and_the_late_frames_close_it()
    {
        using var store = new SqliteFrameStore(_database.Path);
        CommitResult jumped = store.Commit(Frames.Received("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Prediction(5)));
        Assert.Equal(1, jumped.GapsOpened);
        GapRecord gap = Assert.Single(store.Gaps("pump-07"));
        Assert.Equal((2UL, 4UL, (long?)null), (gap.FromSequence, gap.ToSequence, gap.ClosedUnixMs));

        // The middle frame arrives (a resend): the gap splits around it.
        store.Commit(Frames.Received("pump-07", Frames.Prediction(3)));
        Assert.Equal([(2UL, 2UL), (4UL, 4UL)], store.Gaps("pump-07").Select(g => (g.FromSequence, g.ToSequence)));
        Assert.Equal(2, store.Devices()[0].OpenGaps);

        CommitResult filled = store.Commit(Frames.Received("pump-07", Frames.Prediction(2), Frames.Prediction(4)));
        Assert.Equal(2, filled.GapsClosed);
        Assert.All(store.Gaps("pump-07"), g => Assert.NotNull(g.ClosedUnixMs));
        Assert.Equal(0, store.Devices()[0].OpenGaps);
        Assert.Equal([1UL, 2UL, 3UL, 4UL, 5UL], store.Predictions("pump-07", default).Select(p => p.Sequence));
    }

    [Fact]
    public void A_failed_batch_stores_nothing_of_itself()
    {
        using var store = new SqliteFrameStore(_database.Path);
        store.Commit(Frames.Received("pump-07", Frames.Hello(0)));
        List<ReceivedFrame> batch = Frames.Received("pump-07", Frames.Prediction(1), Frames.Prediction(2));
        // An Ack frame is never stored: handing one over fails the batch after its first frame was written.
        batch.Add(new ReceivedFrame("pump-07", Frames.Session, default));
        Assert.Throws<ArgumentException>(() => store.Commit(batch));
        Assert.Empty(store.Predictions("pump-07", default));
        Assert.Equal(1, store.Devices()[0].Frames);
    }

    [Fact]
    public void A_device_id_is_data_not_SQL()
    {
        using var store = new SqliteFrameStore(_database.Path);
        const string hostile = "x'); DROP TABLE predictions; --";
        store.Commit(Frames.Received(hostile, Frames.Hello(0, hostile), Frames.Prediction(1)));
        Assert.Equal(hostile, Assert.Single(store.Devices()).DeviceId);
        Assert.Single(store.Predictions(hostile, default));
    }
}
