using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Tests.Servers;

namespace EdgeLstm.Collector.Tests.Fleet;

/// <summary>
/// Issue 16's fleet end to end: three demo boards (the real runtime, in process, at once) → a real Mosquitto → the
/// real collector (its CLI, a child process) → the store. One body, run once per store kind.
/// </summary>
public abstract class FleetEndToEndTests : IDisposable, INeedMosquitto
{
    private readonly FleetRig _rig = new();

    /// <summary>The <c>--store</c> of this run: a SQLite file, or a fresh PostgreSQL database.</summary>
    private protected abstract FleetStore NewStore(FleetRig rig);

    public void Dispose()
    {
        _rig.Dispose();
        GC.SuppressFinalize(this);
    }

    [StoreFact]
    public void Three_demo_boards_through_Mosquitto_are_stored_once_each_and_export_their_known_counts()
    {
        FleetStore store = NewStore(_rig);
        CollectorProcess collector = _rig.StartCollector(store, "fleet-collector");
        DemoBoard[] boards = [.. Enumerable.Range(1, 3).Select(n => _rig.StartBoard($"demo-{n}", _rig.Journal($"demo-{n}")))];
        // The demo replays at the fast clock and may end before the collector committed all of it: a board's next
        // start on its journal sends the rest, until a run says nothing is left unacknowledged.
        long[] framesMade = [.. boards.Select(board => _rig.FinishAndResend(board, _rig.Journal(board.DeviceId)))];

        foreach (DemoBoard board in boards)
        {
            // The board said 'offline' on its clean stop; the collector stores it with a batch.
            Assert.True(SpinWait.SpinUntil(() => store.Device(board.DeviceId)?.Online == false, FleetRig.Patience), $"{board.DeviceId} not offline: {_rig.Logs}");
        }
        collector.Stop();

        for (int i = 0; i < boards.Length; i++)
        {
            DemoBoard board = boards[i];
            DeviceRecord device = store.AssertEveryFrameOnce(board.DeviceId, framesMade[i]);
            Assert.False(device.Online);
            using (IFrameStore opened = store.Open())
            {
                Assert.Equal(DemoBoard.Predictions, opened.Predictions(board.DeviceId, default).Count);
                Assert.Equal(DemoBoard.Alarms, opened.Alarms(board.DeviceId, openOnly: false).Count);
                Assert.NotEmpty(opened.Health(board.DeviceId, default));
            }
            Assert.Equal(DemoBoard.Predictions, store.Export(board.DeviceId, "predictions").Length);
            Assert.Equal(DemoBoard.Alarms, store.Export(board.DeviceId, "alarms").Length);
        }
    }
}

/// <summary>The fleet end to end into SQLite.</summary>
[Collection(PostgresTests.Name)] // with the other fleet tests, one at a time: each runs a broker, collectors and boards
public sealed class SqliteFleetEndToEndTests : FleetEndToEndTests
{
    private protected override FleetStore NewStore(FleetRig rig) => rig.SqliteStore();
}

/// <summary>The fleet end to end into PostgreSQL (skipped, saying why, where it is not installed).</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresFleetEndToEndTests(PostgresServer server) : FleetEndToEndTests, INeedPostgres
{
    private protected override FleetStore NewStore(FleetRig rig) => new(server.Uri(server.CreateDatabase()));
}
