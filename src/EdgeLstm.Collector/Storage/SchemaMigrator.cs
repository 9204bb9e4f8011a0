using System.Data.Common;
using System.Globalization;

namespace EdgeLstm.Collector.Storage;

/// <summary>
/// Numbered migrations applied in order at start. <c>schema_version</c> holds one row per migration applied; each
/// migration runs in its own transaction with its row, so a crash leaves a whole version. Every transaction first
/// runs <paramref name="serialize"/> (PostgreSQL: an advisory lock), so collectors starting together take turns and
/// each migration runs once; the version is read after that lock.
/// </summary>
/// <param name="migrations">The SQL of each migration: index + 1 is its version.</param>
/// <param name="serialize">A statement that makes migrating transactions wait for each other; empty when the database does it itself.</param>
internal sealed class SchemaMigrator(IReadOnlyList<string> migrations, string serialize)
{
    /// <summary>The schema version this program writes.</summary>
    public int Latest => migrations.Count;

    /// <summary>Applies every migration above the database's version; returns the version before.</summary>
    /// <exception cref="InvalidOperationException">The database is newer than this program.</exception>
    public int Apply(DbConnection connection)
    {
        int? before = null;
        while (true)
        {
            using DbTransaction transaction = connection.BeginTransaction();
            if (serialize.Length > 0) Sql.Execute(connection, transaction, serialize);
            Sql.Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_ms BIGINT NOT NULL);");
            int current = CurrentVersion(connection, transaction);
            before ??= current;
            if (current > Latest)
                throw new InvalidOperationException($"the database has schema version {current}, newer than this collector's {Latest}; use a newer edgelstm-collector");
            if (current == Latest)
            {
                transaction.Commit();
                return before.Value;
            }
            Sql.Execute(connection, transaction, migrations[current]);
            using DbCommand record = Sql.Command(connection, transaction, "INSERT INTO schema_version (version, applied_ms) VALUES (@v, @t);")
                .With("@v", (long)(current + 1)).With("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            record.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>The highest version applied, 0 for an empty database.</summary>
    public static int CurrentVersion(DbConnection connection, DbTransaction? transaction)
    {
        using DbCommand command = Sql.Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version;");
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
