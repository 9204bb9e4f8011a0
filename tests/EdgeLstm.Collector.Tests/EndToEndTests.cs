using System.Net;
using System.Text.Json.Nodes;
using EdgeLstm.Collector.Cli;
using EdgeLstm.Collector.Ingest;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Sqlite;
using EdgeLstm.Core;
using EdgeLstm.Runtime.Cli;
using BoardRun = EdgeLstm.Runtime.Cli.RunCommand;

namespace EdgeLstm.Collector.Tests;

/// <summary>The real board runtime, in process, sends the embedded demo over TCP to the collector, which stores it in SQLite.</summary>
public sealed class EndToEndTests : IDisposable
{
    // The demo's known output: every sample after the window fills is one Prediction; its recording raises and clears one alarm.
    private const int DemoPredictions = 1139;
    private const int DemoAlarms = 2;

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    /// <summary>A copy of the demo board config with absolute paths and one TCP sink to <paramref name="port"/>.</summary>
    private string DemoConfig(int port)
    {
        string assets = Repository.Path("src", "EdgeLstm.Runtime", "Assets");
        JsonNode config = JsonNode.Parse(File.ReadAllText(Path.Combine(assets, "demo-board.json")))!;
        config.AsObject().Remove("$schema");
        config["devices"]![0]!["file"] = Path.Combine(assets, "skab-excerpt.csv");
        config["model"]!["path"] = Path.Combine(assets, "demo-model.elstm");
        config["sinks"] = JsonNode.Parse($$"""[ { "type": "tcp", "host": "127.0.0.1", "port": {{port}} } ]""");
        string path = Path.Combine(_database.Folder, "board.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private static int RunBoard(string config, StringWriter log, string? journal = null, TimeSpan? duration = null) =>
        BoardRun.Run(new RunOptions(config, null, duration, null, OutputFormat.Msgpack, Journal: journal), Stream.Null, TextWriter.Synchronized(log), CancellationToken.None);

    private static string Export(string store, string device, string frames)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CollectorCli.Invoke(["export", "--store", store, "--device", device, "--frames", frames, "--format", "csv"], output, error);
        Assert.True(exit == ExitCodes.Success, error.ToString());
        return output.ToString();
    }

    private static void AssertEveryFrameOnce(SqliteFrameStore store, string device)
    {
        DeviceRecord record = Assert.Single(store.Devices());
        Assert.Equal(device, record.DeviceId);
        // Frames are numbered 0…highest without holes by the board; each stored exactly once (the key allows no other).
        Assert.Equal((long)record.HighestSequence!.Value + 1, record.Frames);
        Assert.Equal(0, record.OpenGaps);
        Assert.Equal(DemoPredictions, store.Predictions(device, default).Count);
        Assert.Equal(DemoAlarms, store.Alarms(device, openOnly: false).Count);
    }

    [Fact]
    public void The_demo_board_over_TCP_is_stored_once_and_exports_its_known_counts()
    {
        var collectorLog = new StringWriter();
        var boardLog = new StringWriter();
        using (var store = new SqliteFrameStore(_database.Path))
        using (var ingest = new TcpIngest(store, new TcpIngestOptions(new IPEndPoint(IPAddress.Loopback, 0)), TextWriter.Synchronized(collectorLog)))
        {
            ingest.Start();
            int exit = RunBoard(DemoConfig(ingest.Endpoint.Port), boardLog);
            Assert.True(exit == ExitCodes.Success, boardLog.ToString());
            ingest.Stop(TimeSpan.FromSeconds(10));
            string device = Assert.Single(store.Devices()).DeviceId;
            AssertEveryFrameOnce(store, device);
        }

        string deviceId;
        using (var reopened = new SqliteFrameStore(_database.Path)) deviceId = reopened.Devices()[0].DeviceId;
        string[] predictions = Export(_database.Path, deviceId, "predictions").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + DemoPredictions, predictions.Length);
        Assert.StartsWith("time_utc,sequence,", predictions[0], StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,\d+,", predictions[1]);
        string[] alarms = Export(_database.Path, deviceId, "alarms").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + DemoAlarms, alarms.Length);
        Assert.Contains(",raised,", alarms[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_collector_restarted_mid_stream_still_has_every_frame_once_after_the_board_resends()
    {
        var collectorLog = new StringWriter();
        var boardLog = new StringWriter();
        using var store = new SqliteFrameStore(_database.Path);
        var first = new TcpIngest(store, new TcpIngestOptions(new IPEndPoint(IPAddress.Loopback, 0)), TextWriter.Synchronized(collectorLog));
        first.Start();
        int port = first.Endpoint.Port;
        string config = DemoConfig(port);
        string journal = Path.Combine(_database.Folder, "journal");
        int exit = -1;
        var board = new Thread(() => exit = RunBoard(config, boardLog, journal)) { IsBackground = true, Name = "demo board" };
        board.Start();

        // Down once the board is mid-stream: a few hundred frames committed.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (first.Counters.Stored < 200 && board.IsAlive && DateTime.UtcNow < deadline) Thread.Sleep(5);
        first.Dispose();
        long storedBefore = first.Counters.Stored;
        Assert.True(storedBefore >= 200, $"only {storedBefore} frames before the board finished: {boardLog}");

        using var second = new TcpIngest(store, new TcpIngestOptions(new IPEndPoint(IPAddress.Loopback, port)), TextWriter.Synchronized(collectorLog));
        second.Start();
        Assert.True(board.Join(TimeSpan.FromSeconds(120)), "the board run did not end");
        Assert.True(exit == ExitCodes.Success, boardLog.ToString());
        // The board may have ended with frames still in its journal (a link down at shutdown is not retried): started
        // again on the same journal for one second of board time (one sample: no new Prediction), it resends them.
        Assert.Equal(ExitCodes.Success, RunBoard(config, boardLog, journal, TimeSpan.FromSeconds(1)));
        second.Stop(TimeSpan.FromSeconds(10));

        string device = Assert.Single(store.Devices()).DeviceId;
        AssertEveryFrameOnce(store, device);
        Assert.True(second.Counters.Connections >= 1);
        Assert.True(second.Counters.Stored > 0, "the restarted collector stored the rest");
    }
}
