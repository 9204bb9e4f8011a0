using System.Data;
using System.Data.Common;

namespace EdgeLstm.Collector.Storage;

/// <summary>
/// ADO.NET helpers both stores use: commands bound to a transaction and typed parameters (<c>@name</c>, which SQLite
/// and Npgsql both read). Every parameter carries its type, so a null still tells PostgreSQL what it is.
/// </summary>
/// <remarks>Sequences and session ids are uint64 on the wire and stored as signed 64-bit integers, bit for bit.</remarks>
internal static class Sql
{
    /// <summary>A command on <paramref name="connection"/> inside <paramref name="transaction"/> (none: autocommit).</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Runs a statement that returns no rows; returns the rows it changed.</summary>
    public static int Execute(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using DbCommand command = Command(connection, transaction, sql);
        return command.ExecuteNonQuery();
    }

    /// <summary>Adds a 64-bit integer parameter (null allowed).</summary>
    public static DbCommand With(this DbCommand command, string name, long? value) => command.With(name, DbType.Int64, value);

    /// <summary>Adds a text parameter (null allowed).</summary>
    public static DbCommand With(this DbCommand command, string name, string? value) => command.With(name, DbType.String, value);

    /// <summary>Adds a floating-point parameter.</summary>
    public static DbCommand WithReal(this DbCommand command, string name, double value) => command.With(name, DbType.Double, value);

    /// <summary>Adds a binary parameter.</summary>
    public static DbCommand With(this DbCommand command, string name, byte[] value) => command.With(name, DbType.Binary, value);

    private static DbCommand With(this DbCommand command, string name, DbType type, object? value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>The stored form of a uint64.</summary>
    public static long Signed(ulong value) => unchecked((long)value);

    /// <summary>A stored uint64.</summary>
    public static ulong Unsigned(this DbDataReader reader, int column) => unchecked((ulong)reader.GetInt64(column));

    /// <summary>A stored uint64 that may be null.</summary>
    public static ulong? NullableUnsigned(this DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.Unsigned(column);

    /// <summary>A 64-bit integer that may be null.</summary>
    public static long? NullableInt64(this DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);

    /// <summary>A 0/1 integer column as a flag.</summary>
    public static bool Flag(this DbDataReader reader, int column) => reader.GetInt32(column) != 0;

    /// <summary>The rows of a query, each mapped by <paramref name="map"/>.</summary>
    public static List<T> Query<T>(DbConnection connection, string sql, Action<DbCommand> bind, Func<DbDataReader, T> map)
    {
        using DbCommand command = Command(connection, null, sql);
        bind(command);
        using DbDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }
}
