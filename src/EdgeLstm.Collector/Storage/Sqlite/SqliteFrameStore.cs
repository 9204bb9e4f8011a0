using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace EdgeLstm.Collector.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a committed batch survives a
/// power cut before its Ack leaves. Migrations run when it opens. One connection, used under a lock: SQLite takes
/// one writer at a time anyway, and batches keep the transactions few.
/// </summary>
internal sealed class SqliteFrameStore : DbFrameStore
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and brings its schema up to date.</summary>
    public SqliteFrameStore(string path, TimeProvider? clock = null) : base(clock ?? TimeProvider.System)
    {
        Path = System.IO.Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        _connection = new SqliteConnection(builder.ToString());
        _connection.Open();
        Sql.Execute(_connection, null, "PRAGMA journal_mode=WAL;");
        Sql.Execute(_connection, null, "PRAGMA synchronous=FULL;");
        Sql.Execute(_connection, null, "PRAGMA busy_timeout=5000;");
        SchemaVersionAtOpen = SqliteMigrations.Migrator.Apply(_connection);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The schema version the file had before this store migrated it (0: new).</summary>
    public int SchemaVersionAtOpen { get; }

    /// <inheritdoc />
    public override string Name => $"sqlite {Path}";

    /// <inheritdoc />
    protected override T Use<T>(Func<DbConnection, T> work)
    {
        lock (_lock) return work(_connection);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        lock (_lock) _connection.Dispose();
    }
}
