using System.Data.Common;
using System.Globalization;

namespace EdgeLstm.Collector.Storage.Postgres;

/// <summary>
/// The monthly partitions of <c>predictions</c>, <c>alarms</c> and <c>health</c> (by <c>received_ms</c>, UTC months),
/// created ahead of the rows that need them: before a batch, the partitions of this month and the next exist. They
/// are made in a short transaction of their own under an advisory lock, not inside the batch's: creating a
/// partition locks its parent table exclusively, which inside a batch would stall (or deadlock with) other writers.
/// Retention is dropping a month: <c>DROP TABLE predictions_2026_01</c> (see docs/collector.md).
/// </summary>
internal sealed class PostgresPartitions
{
    /// <summary>The partitioned tables; fixed names, never input.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["predictions", "alarms", "health"];

    private readonly HashSet<DateTime> _ready = [];
    private readonly Lock _lock = new();

    /// <summary>The partition of <paramref name="table"/> for the month starting at <paramref name="month"/>, e.g. <c>predictions_2026_11</c>.</summary>
    public static string Name(string table, DateTime month) => $"{table}_{month.ToString("yyyy_MM", CultureInfo.InvariantCulture)}";

    /// <summary>Makes sure the partitions of the month of <paramref name="nowUnixMs"/> and of the next month exist.</summary>
    public void Ensure(DbConnection connection, long nowUnixMs)
    {
        DateTime now = DateTimeOffset.FromUnixTimeMilliseconds(nowUnixMs).UtcDateTime;
        var month = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        lock (_lock)
        {
            if (_ready.Contains(month)) return;
        }
        using (DbTransaction transaction = connection.BeginTransaction())
        {
            Sql.Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLocks.Partitions});");
            foreach (DateTime start in (ReadOnlySpan<DateTime>)[month, month.AddMonths(1)])
            {
                long from = new DateTimeOffset(start).ToUnixTimeMilliseconds(), to = new DateTimeOffset(start.AddMonths(1)).ToUnixTimeMilliseconds();
                // DDL takes no parameters: the names and bounds are built from numbers here, never from input.
                foreach (string table in Tables)
                    Sql.Execute(connection, transaction, $"CREATE TABLE IF NOT EXISTS {Name(table, start)} PARTITION OF {table} FOR VALUES FROM ({from}) TO ({to});");
            }
            transaction.Commit();
        }
        lock (_lock) _ready.Add(month);
    }
}
