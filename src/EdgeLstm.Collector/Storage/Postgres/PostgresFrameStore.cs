using System.Data.Common;
using Npgsql;

namespace EdgeLstm.Collector.Storage.Postgres;

/// <summary>
/// The fleet store: a PostgreSQL database that several collectors may write at once. Connections come from a pool,
/// one per call, so batches of different links commit in parallel; the rules hold under that because de-duplication
/// is the <c>frames</c> key (<c>ON CONFLICT DO NOTHING</c>) and a batch holds its devices' rows locked until commit.
/// <c>synchronous_commit</c> is set on for the session: <see cref="IFrameStore.Commit"/> returns after a durable commit.
/// </summary>
internal sealed class PostgresFrameStore : DbFrameStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresPartitions _partitions = new();

    /// <summary>Connects to the database of <paramref name="settings"/> and brings its schema up to date.</summary>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the login.</exception>
    /// <exception cref="InvalidOperationException">The database is newer than this program.</exception>
    public PostgresFrameStore(NpgsqlConnectionStringBuilder settings, TimeProvider? clock = null) : base(clock ?? TimeProvider.System)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Location = PostgresUri.Describe(settings);
        var own = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        own.Options = $"{own.Options} -c synchronous_commit=on".Trim();
        _dataSource = NpgsqlDataSource.Create(own);
        try
        {
            using NpgsqlConnection connection = _dataSource.OpenConnection();
            SchemaVersionAtOpen = PostgresMigrations.Migrator.Apply(connection);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    /// <summary>Where the database is, without the password.</summary>
    public string Location { get; }

    /// <summary>The schema version the database had before this store migrated it (0: new).</summary>
    public int SchemaVersionAtOpen { get; }

    /// <inheritdoc />
    public override string Name => $"postgresql {Location}";

    /// <inheritdoc />
    protected override T Use<T>(Func<DbConnection, T> work)
    {
        using NpgsqlConnection connection = _dataSource.OpenConnection();
        return work(connection);
    }

    /// <inheritdoc />
    protected override void Prepare(DbConnection connection, long nowUnixMs) => _partitions.Ensure(connection, nowUnixMs);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _dataSource.Dispose();
    }
}
