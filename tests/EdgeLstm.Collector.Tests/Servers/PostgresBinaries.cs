namespace EdgeLstm.Collector.Tests.Servers;

/// <summary>Where the PostgreSQL server programs (initdb, pg_ctl, postgres) are: Debian keeps them off PATH.</summary>
internal static class PostgresBinaries
{
    private static readonly Lazy<string?> Found = new(Find);

    /// <summary>The folder holding initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static string? Folder => Found.Value;

    /// <summary>Why PostgreSQL tests cannot run here, or null when they can.</summary>
    public static string? MissingReason => Folder is null
        ? "the PostgreSQL server (initdb, pg_ctl) is not installed: apt-get install postgresql"
        : null;

    private static string? Find()
    {
        IEnumerable<string> path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0).Select(d => Path.Combine(d, "bin"))
            : [];
        return path.Concat(debian).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }
}
