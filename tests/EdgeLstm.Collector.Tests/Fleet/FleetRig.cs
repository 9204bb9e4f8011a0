using EdgeLstm.Collector.Tests.Servers;

namespace EdgeLstm.Collector.Tests.Fleet;

/// <summary>
/// One fleet test's parts: a real Mosquitto, the collector processes and demo boards started through it, and a
/// temporary folder for stores and journals. Disposing stops all of them, boards first, even after a failure.
/// </summary>
internal sealed class FleetRig : IDisposable
{
    /// <summary>Long enough for a slow, shared machine; every wait ends as soon as its condition holds.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly TempDatabase _folder = new();
    private readonly List<IDisposable> _owned = [];

    /// <summary>A rig whose Mosquitto has TLS listeners when <paramref name="tls"/> is given.</summary>
    public FleetRig(MosquittoTls? tls = null) => Broker = new MosquittoBroker(tls);

    public MosquittoBroker Broker { get; }

    /// <summary>A temporary folder of this test.</summary>
    public string Folder => _folder.Folder;

    /// <summary>A SQLite store in the test's folder.</summary>
    public FleetStore SqliteStore() => new(Path.Combine(Folder, "fleet.db"));

    /// <summary>A journal folder for <paramref name="deviceId"/>: its frames survive from one run to the next.</summary>
    public string Journal(string deviceId) => Path.Combine(Folder, "journal-" + deviceId);

    public CollectorProcess StartCollector(FleetStore store, string clientId) => Own(CollectorProcess.Start(Broker.Port, store.Store, clientId));

    /// <summary>A collector on <paramref name="broker"/> (a <c>--broker</c> URL, e.g. one of the TLS listeners) with <paramref name="more"/> options.</summary>
    public CollectorProcess StartCollector(FleetStore store, string clientId, string broker, params string[] more) => Own(CollectorProcess.Start(broker, store.Store, clientId, more));

    /// <summary>Starts a demo board publishing to the broker's plain port, or through <paramref name="sink"/> (a <c>--sink</c> URI).</summary>
    public DemoBoard StartBoard(string deviceId, string? journal = null, TimeSpan? duration = null, bool loop = false, string? sink = null) =>
        Own(DemoBoard.Start(Broker.Port, deviceId, journal, duration, loop, sink: sink));

    /// <summary>
    /// Waits for a board's journaled run to end, then, while a run ended with frames left unacknowledged (a run ends
    /// when its replay does, and the fast clock outruns a collector that is slow, away or restarting; the rest waits
    /// in the journal for the next start), runs it again on the same journal for one sample, which sends them.
    /// Bounded. Returns how many frames the runs made together; the last run acknowledged everything.
    /// </summary>
    /// <param name="sink">The <c>--sink</c> URI of the reruns (null: the broker's plain port).</param>
    public long FinishAndResend(DemoBoard board, string journal, string? sink = null)
    {
        board.WaitForExit(Patience);
        long frames = board.FramesEmitted;
        Runs++;
        for (int rerun = 0; !board.LeftNothingUnacknowledged; rerun++)
        {
            Assert.True(rerun < 5, $"{board.DeviceId} still had frames unacknowledged after {rerun} runs on its journal: {board.Log}\n{Logs}");
            board = StartBoard(board.DeviceId, journal, TimeSpan.FromSeconds(1), sink: sink);
            board.WaitForExit(Patience);
            frames += board.FramesEmitted;
            Runs++;
        }
        return frames;
    }

    /// <summary>Board runs <see cref="FinishAndResend"/> waited for.</summary>
    public int Runs { get; private set; }

    /// <summary>What the broker and the collectors said, for a failure message.</summary>
    public string Logs => string.Join("\n", _owned.OfType<CollectorProcess>().Select(c => $"--- collector {c.ClientId}:\n{c.Output}")) + $"\n--- mosquitto:\n{Broker.Log}";

    private T Own<T>(T part)
        where T : IDisposable
    {
        lock (_owned) _owned.Add(part);
        return part;
    }

    public void Dispose()
    {
        // Latest first: boards stop publishing before their collectors and the broker go.
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        Broker.Dispose();
        _folder.Dispose();
    }
}
