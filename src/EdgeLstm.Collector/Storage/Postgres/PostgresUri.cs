using Npgsql;

namespace EdgeLstm.Collector.Storage.Postgres;

/// <summary>
/// The <c>--store</c> URI of a PostgreSQL database, <c>postgres://user:password@host:port/database?sslmode=require</c>
/// (or <c>postgresql://</c>), as Npgsql connection settings. User and password may be percent-encoded. Query options
/// take libpq's names for the common ones (<c>sslmode</c>, <c>connect_timeout</c>, <c>application_name</c>) and
/// Npgsql's connection-string keywords otherwise. Messages never contain the password.
/// </summary>
internal static class PostgresUri
{
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["options"] = "Options",
    };

    /// <summary>True when <paramref name="store"/> names a PostgreSQL database rather than a SQLite file.</summary>
    public static bool IsPostgres(string store) =>
        store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection settings of <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">Not a valid URI, or an option Npgsql does not know (the message leaves the password out).</exception>
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        if (!IsPostgres(text) || !Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.DnsSafeHost.Length == 0 && uri.Authority.Length > 0)
            throw new FormatException("not a URI of the form postgres://user:password@host:port/database (is the port a number, are special characters percent-encoded?)");
        var settings = new NpgsqlConnectionStringBuilder { Host = uri.DnsSafeHost.Length > 0 ? uri.DnsSafeHost : "localhost" };
        if (uri.Port > 0) settings.Port = uri.Port;
        string[] user = uri.UserInfo.Split(':', 2);
        if (user[0].Length > 0) settings.Username = Uri.UnescapeDataString(user[0]);
        if (user.Length == 2) settings.Password = Uri.UnescapeDataString(user[1]);
        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) settings.Database = database;
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            string key = Uri.UnescapeDataString(parts[0]);
            string value = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
            try
            {
                settings[LibpqNames.GetValueOrDefault(key, key)] = key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? value.Replace("-", "", StringComparison.Ordinal) : value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new FormatException($"the option '{key}={value}' is not one Npgsql knows");
            }
        }
        return settings;
    }

    /// <summary>Where <paramref name="settings"/> point, for messages and logs: <c>postgres://user@host:port/database</c>, no password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string user = string.IsNullOrEmpty(settings.Username) ? "" : Uri.EscapeDataString(settings.Username) + "@";
        return $"postgres://{user}{settings.Host}:{settings.Port}/{Uri.EscapeDataString(settings.Database ?? "")}";
    }
}
