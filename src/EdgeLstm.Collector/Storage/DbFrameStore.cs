using System.Data.Common;

namespace EdgeLstm.Collector.Storage;

/// <summary>
/// An <see cref="IFrameStore"/> over an ADO.NET connection: the rules (<see cref="BatchWriter"/>), the reads
/// (<see cref="FrameQueries"/>) and the status writes are shared; a store says only how it hands out a connection
/// and what it prepares before a batch.
/// </summary>
internal abstract class DbFrameStore : IFrameStore, IMonitorStore
{
    private readonly TimeProvider _clock;

    /// <summary>A store stamping received times from <paramref name="clock"/>.</summary>
    protected DbFrameStore(TimeProvider clock) => _clock = clock;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The schema version now.</summary>
    public int SchemaVersion => Use(connection => SchemaMigrator.CurrentVersion(connection, null));

    /// <summary>Runs <paramref name="work"/> on an open connection that no other thread uses meanwhile.</summary>
    protected abstract T Use<T>(Func<DbConnection, T> work);

    /// <summary>What must exist before a batch received at <paramref name="nowUnixMs"/> is written (outside its transaction).</summary>
    protected virtual void Prepare(DbConnection connection, long nowUnixMs)
    {
    }

    /// <inheritdoc />
    public CommitResult Commit(IReadOnlyList<ReceivedFrame> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Use(connection =>
        {
            long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            Prepare(connection, now);
            using DbTransaction transaction = connection.BeginTransaction();
            var writer = new BatchWriter(connection, transaction, now);
            writer.Write(batch);
            transaction.Commit();
            return writer.Result;
        });
    }

    /// <inheritdoc />
    public void RecordStatus(string deviceId, bool online, long atUnixMs) => Use(connection =>
    {
        DeviceStatus.Record(connection, deviceId, online, atUnixMs);
        return 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<DeviceRecord> Devices() => Use(FrameQueries.Devices);

    /// <inheritdoc />
    public IReadOnlyList<AlarmRecord> Alarms(string? deviceId, bool openOnly) => Use(c => FrameQueries.Alarms(c, deviceId, openOnly));

    /// <inheritdoc />
    public IReadOnlyList<PredictionRecord> Predictions(string deviceId, TimeRange range) => Use(c => FrameQueries.Predictions(c, deviceId, range));

    /// <inheritdoc />
    public IReadOnlyList<HealthRecord> Health(string deviceId, TimeRange range) => Use(c => FrameQueries.Health(c, deviceId, range));

    /// <inheritdoc />
    public IReadOnlyList<GapRecord> Gaps(string deviceId) => Use(c => FrameQueries.Gaps(c, deviceId));

    /// <inheritdoc />
    public IReadOnlyList<string> OutputLabels(string deviceId) => Use(c => FrameQueries.OutputLabels(c, deviceId));

    /// <inheritdoc />
    public IReadOnlyList<EventRecord> Events(string? deviceId, TimeRange range) => Use(c => FrameQueries.Events(c, deviceId, range));

    /// <inheritdoc />
    public IReadOnlyList<EventRecord> LatestEvents() => Use(FrameQueries.LatestEvents);

    /// <inheritdoc />
    public void RecordPush(PushRecord push) => Use(connection =>
    {
        FrameQueries.AddPush(connection, push);
        return 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<PushRecord> Pushes(string? deviceId) => Use(c => FrameQueries.Pushes(c, deviceId));

    /// <inheritdoc />
    public IReadOnlyList<SessionRecord> Sessions(string deviceId) => Use(c => MonitorQueries.Sessions(c, deviceId));

    /// <inheritdoc />
    public long? LatestPredictionTime(string deviceId) => Use(c => MonitorQueries.LatestPredictionTime(c, deviceId));

    /// <inheritdoc />
    public HealthRecord? LatestHealth(string deviceId) => Use(c => FrameQueries.LatestHealth(c, deviceId));

    /// <inheritdoc />
    public IReadOnlyList<AlarmNoteRecord> AlarmNotes(string? deviceId) => Use(c => MonitorQueries.AlarmNotes(c, deviceId));

    /// <inheritdoc />
    public void AddAlarmNote(AlarmNoteRecord note) => Use(connection =>
    {
        MonitorQueries.AddAlarmNote(connection, note);
        return 0;
    });

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the connection(s).</summary>
    protected abstract void Dispose(bool disposing);
}
