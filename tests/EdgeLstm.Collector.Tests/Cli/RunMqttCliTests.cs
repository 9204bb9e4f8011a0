using System.Text.RegularExpressions;
using EdgeLstm.Collector.Cli;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Sqlite;
using EdgeLstm.Collector.Tests.Ingest;
using EdgeLstm.Collector.Tests.Servers;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Tests.Cli;

/// <summary><c>edgelstm-collector run</c> with MQTT: the embedded broker, an existing one (Mosquitto), bad options.</summary>
[Collection(MqttTestGroup.Name)]
public sealed partial class RunMqttCliTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [GeneratedRegex(@"mqtt broker mqtt://127\.0\.0\.1:(\d+) \((embedded|external)\)")]
    private static partial Regex BrokerLine();

    /// <summary>Runs <c>run</c> with <paramref name="args"/> until the MQTT line is printed, has a board publish a Hello and a Prediction through it, then stops it as SIGTERM would.</summary>
    private (string Output, string Kind) RunAndPublish(params string[] args)
    {
        var output = new StringWriter();
        TextWriter syncOutput = TextWriter.Synchronized(output);
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        int exit = -1;
        var run = new Thread(() => exit = CollectorCli.Invoke(["run", "--tcp-port", "0", "--http", "127.0.0.1:0", "--store", _database.Path, .. args], syncOutput, TextWriter.Synchronized(error), stop.Token)) { IsBackground = true, Name = "collector run" };
        run.Start();
        Match line = Match.Empty;
        var deadline = DateTime.UtcNow + Patience;
        while (!line.Success)
        {
            Assert.True(run.IsAlive && DateTime.UtcNow < deadline, $"no broker line: {Read()} {error}");
            Thread.Sleep(20);
            line = BrokerLine().Match(Read());
        }
        using (MqttBoard board = MqttBoard.Connect(int.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
        {
            board.Publish(Frames.Hello(0), Frames.Prediction(1));
            board.WaitForAcksCovering([0, 1], Patience);
        }
        stop.Cancel();
        Assert.True(run.Join(Patience), "run did not stop");
        Assert.True(exit == ExitCodes.Success, $"{Read()} {error}");
        using var store = new SqliteFrameStore(_database.Path);
        Assert.Equal([1UL], store.Predictions("pump-07", default).Select(p => p.Sequence));
        return (Read(), line.Groups[2].Value);

        string Read()
        {
            lock (syncOutput) return output.ToString(); // the synchronized writer locks itself while writing
        }
    }

    [Fact]
    public void Run_starts_the_embedded_broker_prints_its_URL_and_stores_what_is_published_to_it()
    {
        (string output, string kind) = RunAndPublish("--mqtt-port", "0");
        Assert.Equal("embedded", kind);
        Assert.Contains("listening on tcp 127.0.0.1:", output, StringComparison.Ordinal);
        Assert.Contains("stopped mqtt: 2 messages, 2 frames stored", output, StringComparison.Ordinal);
    }

    [MosquittoFact]
    public void Run_with_broker_uses_that_broker_and_starts_none()
    {
        using var mosquitto = new MosquittoBroker();
        (string output, string kind) = RunAndPublish("--broker", $"mqtt://127.0.0.1:{mosquitto.Port}", "--mqtt-client-id", "cli-test");
        Assert.Equal("external", kind);
        Assert.Contains("client id cli-test", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--broker", "http://127.0.0.1:1883")]
    [InlineData("--broker", "mqtt://")]
    [InlineData("--broker", "mqtt://127.0.0.1:1883/edgelstm")]
    [InlineData("--broker", "not a url")]
    [InlineData("--broker", "mqtt://127.0.0.1", "--mqtt-port", "1884")]
    [InlineData("--no-mqtt", "--broker", "mqtt://127.0.0.1")]
    [InlineData("--broker-username", "collector")]
    [InlineData("--mqtt-port", "70000")]
    [InlineData("--mqtt-bind", "somewhere")]
    [InlineData("--mqtt-client-id", " ")]
    public void A_bad_MQTT_option_is_one_clear_line_and_exit_2(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CollectorCli.Invoke(["run", "--tcp-port", "0", "--store", _database.Path, .. args], output, error);
        Assert.Equal(ExitCodes.BadInput, exit);
        string line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("edgelstm-collector: --", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_database.Path), "nothing is opened before the options are checked");
    }

    [Fact]
    public void Run_help_describes_every_MQTT_option()
    {
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, CollectorCli.Invoke(["run", "--help"], output, new StringWriter()));
        foreach (string option in new[] { "--no-mqtt", "--broker", "--broker-username", "--broker-password", "--mqtt-port", "--mqtt-bind", "--mqtt-client-id" })
        {
            Assert.Contains(option, output.ToString(), StringComparison.Ordinal);
        }
    }
}
