namespace EdgeLstm.Collector.Storage.Sqlite;

/// <summary>
/// The SQLite schema as numbered migrations, applied in order at start by <see cref="SchemaMigrator"/>. The numbers
/// are those of <c>PostgresMigrations</c>: version N means the same tables and columns in both stores.
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
        // 2: device status (MQTT birth/last will), and the received time on every frame table (PostgreSQL partitions on it).
        """
        ALTER TABLE devices ADD COLUMN online INTEGER;
        ALTER TABLE devices ADD COLUMN status_changed_ms INTEGER;
        ALTER TABLE predictions ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE alarms ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE health ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;
        UPDATE predictions SET received_ms = COALESCE((SELECT f.received_ms FROM frames f WHERE f.device_id = predictions.device_id AND f.sequence = predictions.sequence), 0);
        UPDATE alarms SET received_ms = COALESCE((SELECT f.received_ms FROM frames f WHERE f.device_id = alarms.device_id AND f.sequence = alarms.sequence), 0);
        UPDATE health SET received_ms = COALESCE((SELECT f.received_ms FROM frames f WHERE f.device_id = health.device_id AND f.sequence = health.sequence), 0);
        """,
        // 3: operators' notes on alarms (the monitor's acknowledgements); several per alarm, kept in order.
        """
        CREATE TABLE alarm_notes (
            note_id INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            note TEXT NOT NULL,
            author TEXT NOT NULL,
            noted_ms INTEGER NOT NULL
        );
        CREATE INDEX alarm_notes_by_alarm ON alarm_notes (device_id, sequence);
        """,
        // 4: the alarm thresholds Health carries (float32 little-endian, raise and clear per rule); empty from older boards.
        """
        ALTER TABLE health ADD COLUMN alarm_thresholds BLOB NOT NULL DEFAULT x'';
        """,
        // 5: what happened to the boards themselves (Event frames: updates applied, refused, rolled back), and the
        // signed updates pushed to them (push-model, push-thresholds).
        """
        CREATE TABLE events (
            device_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            session_id INTEGER NOT NULL,
            time_ms INTEGER NOT NULL,
            time_unix_ms INTEGER,
            received_ms INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            update_version INTEGER NOT NULL,
            model_id TEXT NOT NULL,
            message TEXT NOT NULL,
            PRIMARY KEY (device_id, sequence)
        );
        CREATE TABLE pushes (
            push_id INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            update_version INTEGER NOT NULL,
            model_id TEXT NOT NULL,
            thresholds TEXT NOT NULL,
            key_id TEXT NOT NULL,
            issued_ms INTEGER NOT NULL,
            expires_ms INTEGER NOT NULL
        );
        CREATE INDEX pushes_by_device ON pushes (device_id, issued_ms);
        """,
    ];

    /// <summary>The migrator of this schema; SQLite serialises writers itself (an immediate transaction), so no extra lock.</summary>
    public static SchemaMigrator Migrator { get; } = new(All, serialize: "");

    /// <summary>The schema version this program writes.</summary>
    public static int Latest => All.Count;
}
