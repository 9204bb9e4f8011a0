using Microsoft.Data.Sqlite;

namespace EdgeLstm.Collector.Storage;

/// <summary>
/// The SQLite schema as numbered migrations, applied in order at start. <c>schema_version</c> holds the number of the
/// last one applied; each runs in its own transaction with its version row, so a crash leaves a whole version.
/// </summary>
internal static class SqliteMigrations
{
    /// <summary>The migrations: index + 1 is the version.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        """
        CREATE TABLE devices (
            device_id TEXT PRIMARY KEY NOT NULL,
            first_seen_ms INTEGER NOT NULL,
            last_seen_ms INTEGER NOT NULL,
            latest_session INTEGER,
            latest_hello_sequence INTEGER,
            model_id TEXT,
            highest_sequence INTEGER
        );
        CREATE TABLE sessions (
            device_id TEXT NOT NULL,
            hello_sequence INTEGER NOT NULL,
            session_id INTEGER NOT NULL,
            protocol_version INTEGER NOT NULL,
            model_id TEXT NOT NULL,
            firmware TEXT NOT NULL,
            channel_names TEXT NOT NULL,
            output_labels TEXT NOT NULL,
            sample_rate_hz REAL NOT NULL,
            epoch_unix_ms INTEGER NOT NULL,
            received_ms INTEGER NOT NULL,
            PRIMARY KEY (device_id, hello_sequence)
        );
        CREATE TABLE frames (
            device_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            type INTEGER NOT NULL,
            received_ms INTEGER NOT NULL,
            PRIMARY KEY (device_id, sequence)
        ) WITHOUT ROWID;
        CREATE TABLE predictions (
            device_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            session_id INTEGER NOT NULL,
            time_ms INTEGER NOT NULL,
            time_unix_ms INTEGER,
            status INTEGER NOT NULL,
            anomaly_level INTEGER NOT NULL,
            probabilities BLOB NOT NULL,
            output_values BLOB NOT NULL,
            historical INTEGER NOT NULL,
            PRIMARY KEY (device_id, sequence)
        );
        CREATE TABLE alarms (
            device_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            session_id INTEGER NOT NULL,
            time_ms INTEGER NOT NULL,
            time_unix_ms INTEGER,
            raised INTEGER NOT NULL,
            class_index INTEGER NOT NULL,
            score REAL NOT NULL,
            duration_ms INTEGER NOT NULL,
            degraded INTEGER NOT NULL,
            historical INTEGER NOT NULL,
            PRIMARY KEY (device_id, sequence)
        );
        CREATE TABLE health (
            device_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            session_id INTEGER NOT NULL,
            time_ms INTEGER NOT NULL,
            time_unix_ms INTEGER,
            uptime_seconds INTEGER NOT NULL,
            samples_read INTEGER NOT NULL,
            overruns INTEGER NOT NULL,
            channel_read_errors TEXT NOT NULL,
            inference_p50_us INTEGER NOT NULL,
            inference_p99_us INTEGER NOT NULL,
            inference_max_us INTEGER NOT NULL,
            send_queue_depth INTEGER NOT NULL,
            send_queue_drops INTEGER NOT NULL,
            cpu_temperature_mc INTEGER,
            journal_backlog INTEGER NOT NULL,
            journal_evictions INTEGER NOT NULL,
            journal_damaged INTEGER NOT NULL,
            channel_read_timeouts TEXT NOT NULL,
            channel_non_finite TEXT NOT NULL,
            model_resets INTEGER NOT NULL,
            historical INTEGER NOT NULL,
            PRIMARY KEY (device_id, sequence)
        );
        CREATE TABLE gaps (
            gap_id INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL,
            session_id INTEGER NOT NULL,
            from_sequence INTEGER NOT NULL,
            to_sequence INTEGER NOT NULL,
            detected_ms INTEGER NOT NULL,
            closed_ms INTEGER
        );
        CREATE INDEX gaps_by_device ON gaps (device_id, from_sequence);
        CREATE INDEX alarms_by_class ON alarms (device_id, class_index, sequence);
        """,
    ];

    /// <summary>The schema version this program writes.</summary>
    public static int Latest => All.Count;

    /// <summary>Applies every migration above the database's version; returns the version before.</summary>
    /// <exception cref="InvalidOperationException">The database is newer than this program.</exception>
    public static int Apply(SqliteConnection connection)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_ms INTEGER NOT NULL);");
        int current = CurrentVersion(connection);
        if (current > Latest)
            throw new InvalidOperationException($"the database has schema version {current}, newer than this collector's {Latest}; use a newer edgelstm-collector");
        for (int version = current + 1; version <= Latest; version++)
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            Execute(connection, transaction, All[version - 1]);
            using SqliteCommand record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_ms) VALUES ($v, $t);";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            record.ExecuteNonQuery();
            transaction.Commit();
        }
        return current;
    }

    /// <summary>The highest version applied, 0 for an empty database.</summary>
    public static int CurrentVersion(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
