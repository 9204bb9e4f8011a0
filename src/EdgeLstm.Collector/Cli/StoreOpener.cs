using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Postgres;
using EdgeLstm.Collector.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EdgeLstm.Collector.Cli;

/// <summary>
/// Opens the store <c>--store</c> names: a <c>postgres://</c> or <c>postgresql://</c> URI is a PostgreSQL database,
/// anything else a SQLite file. A store that cannot be opened becomes one line naming it (never its password).
/// </summary>
internal static class StoreOpener
{
    /// <summary>The store, or null with the reason written to <paramref name="error"/>.</summary>
    /// <param name="store">The <c>--store</c> value.</param>
    /// <param name="mustExist">Query commands: a missing SQLite file is an error, not a new empty database.</param>
    /// <param name="error">Where the reason goes.</param>
    public static IFrameStore? Open(string store, bool mustExist, TextWriter error) =>
        PostgresUri.IsPostgres(store) ? OpenPostgres(store, error) : OpenSqlite(store, mustExist, error);

    private static SqliteFrameStore? OpenSqlite(string path, bool mustExist, TextWriter error)
    {
        if (mustExist && !File.Exists(path))
        {
            error.WriteLine($"edgelstm-collector: no database at {path} (--store)");
            return null;
        }
        try
        {
            return new SqliteFrameStore(path);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            error.WriteLine($"edgelstm-collector: cannot open the database {path}: {OneLine(e)}");
            return null;
        }
    }

    private static PostgresFrameStore? OpenPostgres(string uri, TextWriter error)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = PostgresUri.Parse(uri);
        }
        catch (FormatException e)
        {
            // The URI itself is not repeated: it may hold a password.
            error.WriteLine($"edgelstm-collector: --store: {e.Message}");
            return null;
        }
        try
        {
            return new PostgresFrameStore(settings);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or ArgumentException)
        {
            error.WriteLine($"edgelstm-collector: cannot open the database {PostgresUri.Describe(settings)}: {OneLine(e)}");
            return null;
        }
    }

    /// <summary>The message of <paramref name="e"/> and of what caused it (a refused connection says why there), on one line.</summary>
    private static string OneLine(Exception e)
    {
        string message = e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{e.Message} ({inner.Message})" : e.Message;
        return message.ReplaceLineEndings(" ");
    }
}
