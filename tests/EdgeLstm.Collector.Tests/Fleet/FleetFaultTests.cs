using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Tests.Servers;
using Xunit.Abstractions;

namespace EdgeLstm.Collector.Tests.Fleet;

/// <summary>
/// Issue 16's faults with real parts: a looped demo board (journaled, so a restart resends what no Ack released)
/// through a real Mosquitto into real collector processes. Each ends with every sequence 0 … highest stored exactly
/// once and every gap the store recorded on the way closed.
/// </summary>
[Collection(PostgresTests.Name)] // one fleet at a time: each runs a broker, collectors and a board
public sealed class FleetFaultTests(PostgresServer postgres, ITestOutputHelper output) : IDisposable
{
    private const string Device = "demo-1";

    /// <summary>Board time of a run that is still sending when a fault is made: the demo recording looped, about 4000 frames.</summary>
    private static readonly TimeSpan LongRun = TimeSpan.FromSeconds(4000);

    private readonly FleetRig _rig = new();

    public void Dispose() => _rig.Dispose();

    /// <summary>Starts the long journaled run and waits until the collectors stored part of it: a fault then falls mid-stream.</summary>
    private (DemoBoard Board, string Journal) StartBoardMidStream(FleetStore store)
    {
        string journal = _rig.Journal(Device);
        DemoBoard board = _rig.StartBoard(Device, journal, LongRun, loop: true);
        Assert.True(store.WaitForFrames(Device, 500, FleetRig.Patience, until: () => !board.IsRunning), $"no 500 frames stored: {board.Log}\n{_rig.Logs}");
        return (board, journal);
    }

    /// <summary>Waits for every frame the runs made, checks each is stored once, and reports what the store recorded.</summary>
    private DeviceRecord AssertNothingLost(FleetStore store, long framesMade)
    {
        Assert.True(store.WaitForFrames(Device, framesMade, FleetRig.Patience), $"{store.Device(Device)?.Frames} of {framesMade} frames stored: {_rig.Logs}");
        DeviceRecord device = store.AssertEveryFrameOnce(Device, framesMade);
        using IFrameStore opened = store.Open();
        output.WriteLine($"{framesMade} frames made in {_rig.Runs} board runs, {device.Frames} stored, {opened.Gaps(Device).Count} gaps recorded (all closed)");
        return device;
    }

    [MosquittoFact]
    public void A_collector_killed_mid_stream_and_restarted_on_its_session_stores_every_frame_once()
    {
        FleetStore store = _rig.SqliteStore();
        CollectorProcess collector = _rig.StartCollector(store, "c1");
        (DemoBoard board, string journal) = StartBoardMidStream(store);

        collector.Kill(); // SIGKILL: its batch in flight is neither committed nor PUBACKed
        long storedAtKill = store.Device(Device)!.Frames;
        // The same client id resumes the session Mosquitto kept: the queued and the unacknowledged messages come.
        _rig.StartCollector(store, "c1");
        long framesMade = _rig.FinishAndResend(board, journal);

        AssertNothingLost(store, framesMade);
        Assert.True(storedAtKill < framesMade, "the kill fell after the last frame");
    }

    [MosquittoFact]
    public void A_broker_restarted_mid_stream_on_its_data_loses_nothing_and_the_collector_reconnects_by_itself()
    {
        FleetStore store = _rig.SqliteStore();
        CollectorProcess collector = _rig.StartCollector(store, "c1");
        (DemoBoard board, string journal) = StartBoardMidStream(store);

        _rig.Broker.Stop(); // SIGTERM: Mosquitto saves its sessions and queues
        _rig.Broker.Start();
        long framesMade = _rig.FinishAndResend(board, journal);

        // The one collector never restarted: it reconnected by itself to store what came after. The fast clock ends the
        // board's run before the broker is back (20,000 samples take 1.5 s), so its reconnect is its next start's.
        AssertNothingLost(store, framesMade);
        collector.Stop();
    }

    [MosquittoFact]
    public void A_board_offline_for_an_hour_of_board_time_delivers_its_backlog_marked_historical_once()
    {
        FleetStore store = _rig.SqliteStore();
        _rig.StartCollector(store, "c1");
        _rig.Broker.Stop();
        string journal = _rig.Journal(Device);
        DemoBoard offline = _rig.StartBoard(Device, journal, TimeSpan.FromHours(1), loop: true);
        offline.WaitForExit(FleetRig.Patience);
        Assert.Contains("unacknowledged frames wait in the journal for the next start", offline.Log, StringComparison.Ordinal);
        long madeOffline = offline.FramesEmitted;

        // The broker back: the collector reconnects by itself, the board's next start sends its backlog.
        _rig.Broker.Start();
        long framesMade = _rig.FinishAndResend(offline, journal);

        AssertNothingLost(store, framesMade);
        using IFrameStore opened = store.Open();
        IReadOnlyList<PredictionRecord> backlog = [.. opened.Predictions(Device, default).Where(p => p.Sequence < (ulong)madeOffline)];
        Assert.True(backlog.Count >= 3000, $"{backlog.Count} predictions made offline"); // an hour at 1 Hz, less the model's window
        Assert.All(backlog, p => Assert.True(p.Historical, $"prediction {p.Sequence} not historical"));
        Assert.All(opened.Alarms(Device, openOnly: false).Where(a => a.Sequence < (ulong)madeOffline), a => Assert.True(a.Historical));
    }

    [MosquittoFact]
    public void Two_collectors_on_one_shared_subscription_one_killed_mid_stream_store_every_frame_once()
    {
        // PostgreSQL is the store several collectors share; the same SQLite file stands in where it is not installed.
        FleetStore store = PostgresBinaries.Folder is null ? _rig.SqliteStore() : new FleetStore(postgres.Uri(postgres.CreateDatabase()));
        CollectorProcess first = _rig.StartCollector(store, "c1");
        CollectorProcess second = _rig.StartCollector(store, "c2");
        (DemoBoard board, string journal) = StartBoardMidStream(store);

        first.Kill();
        // Mosquitto hands a killed member's in-flight messages out again only when that client is back.
        CollectorProcess restarted = _rig.StartCollector(store, "c1");
        long framesMade = _rig.FinishAndResend(board, journal);

        AssertNothingLost(store, framesMade);
        restarted.Stop();
        second.Stop();
        output.WriteLine($"c1 before the kill:\n{first.Output}\nc1 restarted:\n{restarted.Output}\nc2:\n{second.Output}");
        Assert.Contains(" frames stored", second.Output, StringComparison.Ordinal);
    }
}
