using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EdgeLstm.Collector.Tests.Storage;

/// <summary>The shared store rules on SQLite, and what only SQLite has (WAL mode, its file's migrations).</summary>
public sealed class SqliteFrameStoreTests : FrameStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private protected override IFrameStore Open() => new SqliteFrameStore(_database.Path);

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
        Assert.Equal(["alarm_notes", "alarms", "devices", "events", "frames", "gaps", "health", "predictions", "pushes", "schema_version", "sessions"], names);
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
    public void A_version_4_database_gains_events_and_pushes_and_keeps_its_frames()
    {
        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            new SchemaMigrator(SqliteMigrations.All.Take(4).ToList(), "").Apply(connection);
            using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = $"""
                INSERT INTO devices (device_id, first_seen_ms, last_seen_ms, highest_sequence) VALUES ('pump-07', 1, 1, 1);
                INSERT INTO frames (device_id, sequence, type, received_ms) VALUES ('pump-07', 0, 1, 1234), ('pump-07', 1, 2, 1234);
                INSERT INTO sessions (device_id, hello_sequence, session_id, protocol_version, model_id, firmware, channel_names, output_labels, sample_rate_hz, epoch_unix_ms, received_ms)
                VALUES ('pump-07', 0, 5, 2, 'm', 'f', '[]', '[]', 100, {Frames.Epoch}, 1234);
                INSERT INTO predictions (device_id, sequence, session_id, time_ms, time_unix_ms, status, anomaly_level, probabilities, output_values, historical, received_ms)
                VALUES ('pump-07', 1, 5, 10, {Frames.Epoch + 10}, 0, 0, x'', x'', 0, 1234);
                """;
            insert.ExecuteNonQuery();
        }
        using var store = new SqliteFrameStore(_database.Path);
        Assert.Equal((4, 5), (store.SchemaVersionAtOpen, store.SchemaVersion));
        Assert.Single(store.Predictions("pump-07", default));
        Assert.Empty(store.Events("pump-07", default));

        // The Hello of version 4 governs an Event stored now; a resend of an old frame is still a duplicate.
        Assert.Equal(new CommitResult(1, 1, 0, 0), store.Commit(Frames.ReceivedWithoutLinkSession("pump-07", Frames.Prediction(1), Frames.Event(2))));
        EventRecord stored = Assert.Single(store.Events("pump-07", default));
        Assert.Equal((5UL, (long?)Frames.Epoch + 20), (stored.SessionId, stored.TimeUnixMs));
    }

    [Fact]
    public void A_version_1_database_is_upgraded_at_start_and_keeps_its_frames()
    {
        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            new SchemaMigrator(SqliteMigrations.All.Take(1).ToList(), "").Apply(connection);
            using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO devices (device_id, first_seen_ms, last_seen_ms) VALUES ('pump-07', 1, 1);
                INSERT INTO frames (device_id, sequence, type, received_ms) VALUES ('pump-07', 1, 2, 1234);
                INSERT INTO alarms (device_id, sequence, session_id, time_ms, raised, class_index, score, duration_ms, degraded, historical)
                VALUES ('pump-07', 1, 0, 5, 1, 1, 0.5, 0, 0, 0);
                """;
            insert.ExecuteNonQuery();
        }
        using var store = new SqliteFrameStore(_database.Path);
        Assert.Equal(1, store.SchemaVersionAtOpen);
        Assert.Equal(SqliteMigrations.Latest, store.SchemaVersion);
        DeviceRecord device = Assert.Single(store.Devices());
        Assert.Equal((1L, (bool?)null), (device.Frames, device.Online));
        Assert.Single(store.Alarms("pump-07", openOnly: true));
    }
}
