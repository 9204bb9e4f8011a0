namespace EdgeLstm.Collector.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as numbered migrations, in step with <c>SqliteMigrations</c>: the same tables, columns and
/// keys, with PostgreSQL types. <c>predictions</c>, <c>alarms</c> and <c>health</c> are partitioned by month on
/// <c>received_ms</c> (see <see cref="PostgresPartitions"/>); their primary key has to include it, so de-duplication
/// lives where it always did, in <c>frames</c>, which is not partitioned: its (device, sequence) key must be unique
/// across all time, and a partitioned table can only enforce keys that contain the partition column.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The migrations: index + 1 is the version.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        """
        CREATE TABLE devices (
            device_id text PRIMARY KEY,
            first_seen_ms bigint NOT NULL,
            last_seen_ms bigint NOT NULL,
            latest_session bigint,
            latest_hello_sequence bigint,
            model_id text,
            highest_sequence bigint
        );
        CREATE TABLE sessions (
            device_id text NOT NULL,
            hello_sequence bigint NOT NULL,
            session_id bigint NOT NULL,
            protocol_version integer NOT NULL,
            model_id text NOT NULL,
            firmware text NOT NULL,
            channel_names text NOT NULL,
            output_labels text NOT NULL,
            sample_rate_hz double precision NOT NULL,
            epoch_unix_ms bigint NOT NULL,
            received_ms bigint NOT NULL,
            PRIMARY KEY (device_id, hello_sequence)
        );
        CREATE TABLE frames (
            device_id text NOT NULL,
            sequence bigint NOT NULL,
            type integer NOT NULL,
            received_ms bigint NOT NULL,
            PRIMARY KEY (device_id, sequence)
        );
        """
        + FrameTable("predictions", """
            status integer NOT NULL,
            anomaly_level integer NOT NULL,
            probabilities bytea NOT NULL,
            output_values bytea NOT NULL,
            historical integer NOT NULL,
            """)
        + FrameTable("alarms", """
            raised integer NOT NULL,
            class_index integer NOT NULL,
            score real NOT NULL,
            duration_ms bigint NOT NULL,
            degraded integer NOT NULL,
            historical integer NOT NULL,
            """)
        + FrameTable("health", """
            uptime_seconds bigint NOT NULL,
            samples_read bigint NOT NULL,
            overruns bigint NOT NULL,
            channel_read_errors text NOT NULL,
            inference_p50_us bigint NOT NULL,
            inference_p99_us bigint NOT NULL,
            inference_max_us bigint NOT NULL,
            send_queue_depth bigint NOT NULL,
            send_queue_drops bigint NOT NULL,
            cpu_temperature_mc bigint,
            journal_backlog bigint NOT NULL,
            journal_evictions bigint NOT NULL,
            journal_damaged bigint NOT NULL,
            channel_read_timeouts text NOT NULL,
            channel_non_finite text NOT NULL,
            model_resets bigint NOT NULL,
            historical integer NOT NULL,
            """)
        + """
        CREATE TABLE gaps (
            gap_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            device_id text NOT NULL, session_id bigint NOT NULL,
            from_sequence bigint NOT NULL, to_sequence bigint NOT NULL,
            detected_ms bigint NOT NULL, closed_ms bigint
        );
        CREATE INDEX gaps_by_device ON gaps (device_id, from_sequence);
        CREATE INDEX alarms_by_class ON alarms (device_id, class_index, sequence);
        """,
        // 2: device status (MQTT birth/last will). received_ms came with version 1 here: the partitions need it.
        """
        ALTER TABLE devices ADD COLUMN online integer, ADD COLUMN status_changed_ms bigint;
        """,
        // 3: operators' notes on alarms (the monitor's acknowledgements); several per alarm, kept in order.
        """
        CREATE TABLE alarm_notes (
            note_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            device_id text NOT NULL,
            sequence bigint NOT NULL,
            note text NOT NULL,
            author text NOT NULL,
            noted_ms bigint NOT NULL
        );
        CREATE INDEX alarm_notes_by_alarm ON alarm_notes (device_id, sequence);
        """,
        // 4: the alarm thresholds Health carries (float32 little-endian, raise and clear per rule); empty from older boards.
        """
        ALTER TABLE health ADD COLUMN alarm_thresholds bytea NOT NULL DEFAULT ''::bytea;
        """,
        // 5: what happened to the boards themselves (Event frames: updates applied, refused, rolled back), and the
        // signed updates pushed to them (push-model, push-thresholds). Rare rows: neither table is partitioned.
        """
        CREATE TABLE events (
            device_id text NOT NULL,
            sequence bigint NOT NULL,
            session_id bigint NOT NULL,
            time_ms bigint NOT NULL,
            time_unix_ms bigint,
            received_ms bigint NOT NULL,
            kind integer NOT NULL,
            update_version bigint NOT NULL,
            model_id text NOT NULL,
            message text NOT NULL,
            PRIMARY KEY (device_id, sequence)
        );
        CREATE TABLE pushes (
            push_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            device_id text NOT NULL,
            kind text NOT NULL,
            update_version bigint NOT NULL,
            model_id text NOT NULL,
            thresholds text NOT NULL,
            key_id text NOT NULL,
            issued_ms bigint NOT NULL,
            expires_ms bigint NOT NULL
        );
        CREATE INDEX pushes_by_device ON pushes (device_id, issued_ms);
        """,
    ];

    /// <summary>
    /// The migrator: every migrating transaction first takes one transaction-scoped advisory lock, so of two
    /// collectors starting together one migrates and the other then finds the schema current.
    /// </summary>
    public static SchemaMigrator Migrator { get; } = new(All, serialize: $"SELECT pg_advisory_xact_lock({AdvisoryLocks.Migrations});");

    /// <summary>The schema version this program writes.</summary>
    public static int Latest => All.Count;

    /// <summary>
    /// A table of one frame type: the columns every frame has (device, sequence, governing session, offset, absolute
    /// and received time), then <paramref name="columns"/>; partitioned by the received time, which is in its key.
    /// </summary>
    private static string FrameTable(string name, string columns) => $"""
        CREATE TABLE {name} (
            device_id text NOT NULL,
            sequence bigint NOT NULL,
            session_id bigint NOT NULL,
            time_ms bigint NOT NULL,
            time_unix_ms bigint,
            received_ms bigint NOT NULL,
            {columns}
            PRIMARY KEY (device_id, sequence, received_ms)
        ) PARTITION BY RANGE (received_ms);

        """;
}

/// <summary>The advisory lock keys the collector takes; arbitrary constants, distinct from each other.</summary>
internal static class AdvisoryLocks
{
    /// <summary>Held while a schema migration runs.</summary>
    public const long Migrations = 0x4544_474C_0001;

    /// <summary>Held while partitions are created.</summary>
    public const long Partitions = 0x4544_474C_0002;
}
