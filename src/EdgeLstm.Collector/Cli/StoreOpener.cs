using EdgeLstm.Collector.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeLstm.Collector.Cli;

/// <summary>Opens the store a command names, turning a file that cannot be opened into a message.</summary>
internal static class StoreOpener
{
    /// <summary>The store, or null with the reason written to <paramref name="error"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="mustExist">Query commands: a missing file is an error, not a new empty database.</param>
    /// <param name="error">Where the reason goes.</param>
    public static SqliteFrameStore? Open(string path, bool mustExist, TextWriter error)
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
            error.WriteLine($"edgelstm-collector: cannot open the database {path}: {e.Message}");
            return null;
        }
    }
}
