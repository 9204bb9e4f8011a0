using EdgeLstm.Collector.Cli;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Sqlite;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Tests.Cli;

public sealed class CollectorCliTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    internal static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CollectorCli.Invoke(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("run", "--help")]
    [InlineData("devices", "--help")]
    [InlineData("alarms", "--help")]
    [InlineData("export", "--help")]
    [InlineData("push-model", "--help")]
    [InlineData("push-thresholds", "--help")]
    public void Every_command_has_help(params string[] args)
    {
        (int exit, string output, _) = Invoke(args);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_database_or_a_bad_argument_is_bad_input()
    {
        Assert.Equal(ExitCodes.BadInput, Invoke("devices", "--store", _database.Path).Exit);
        Assert.Equal(ExitCodes.BadInput, Invoke("export", "--store", _database.Path, "--frames", "predictions").Exit); // no --device
        Assert.Equal(ExitCodes.BadInput, Invoke("run", "--tcp-port", "70000").Exit);
        Assert.Equal(ExitCodes.BadInput, Invoke("run", "--tcp-bind", "not-an-address").Exit);
    }

    [Fact]
    public void Devices_alarms_and_export_print_CSV_with_absolute_UTC_times()
    {
        using (var store = new SqliteFrameStore(_database.Path))
        {
            store.Commit(Frames.Received("pump, 07", Frames.Hello(0, "pump, 07"), Frames.Prediction(1), Frames.Alarm(2, raised: true)));
        }
        (int exit, string devices, _) = Invoke("devices", "--store", _database.Path);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("\"pump, 07\",", devices, StringComparison.Ordinal); // quoted: the id holds a comma
        Assert.StartsWith("device,first_seen_utc,last_seen_utc,latest_session,model,highest_sequence,frames,open_gaps,online,status_changed_utc\n", devices, StringComparison.Ordinal);

        string open = Invoke("alarms", "--store", _database.Path, "--open").Output;
        Assert.Equal(2, open.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        string predictions = Invoke("export", "--store", _database.Path, "--device", "pump, 07", "--frames", "predictions").Output;
        string[] lines = predictions.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time_utc,sequence,degraded,model_reset,anomaly_score,historical,p_normal,p_fault", lines[0]);
        // Epoch 2026-11-28T06:00:00Z + 10 ms.
        Assert.StartsWith("2026-11-28T06:00:00.010Z,1,0,0,", lines[1], StringComparison.Ordinal);

        string late = Invoke("export", "--store", _database.Path, "--device", "pump, 07", "--frames", "predictions", "--from", "2026-11-28T07:00:00Z").Output;
        Assert.Single(late.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Export_of_events_prints_their_kind_in_words_and_their_message_quoted()
    {
        using (var store = new SqliteFrameStore(_database.Path))
        {
            store.Commit(Frames.Received("pump-07", Frames.Hello(0), Frames.Event(1, EdgeLstm.Protocol.BoardEventKind.UpdateRefused, "version 4, not above 5", version: 4),
                Frames.Event(2, EdgeLstm.Protocol.BoardEventKind.UpdateApplied, "applied", version: 6)));
        }
        (int exit, string events, _) = Invoke("export", "--store", _database.Path, "--device", "pump-07", "--frames", "events");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(
            "time_utc,sequence,kind,update_version,model_id,message\n"
            + "2026-11-28T06:00:00.010Z,1,refused,4,1f0e2d3c4b5a6978,\"version 4, not above 5\"\n"
            + "2026-11-28T06:00:00.020Z,2,applied,6,1f0e2d3c4b5a6978,applied\n",
            events);
    }

    [Theory]
    [InlineData("postgres://collector:secret@127.0.0.1:notaport/fleet")]
    [InlineData("postgres://collector:secret@127.0.0.1:5432/fleet?bogus=1")]
    public void A_malformed_PostgreSQL_URI_is_one_line_of_bad_input_without_the_password(string uri)
    {
        (int exit, _, string error) = Invoke("devices", "--store", uri);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--store", error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_PostgreSQL_server_that_cannot_be_reached_is_one_line_of_bad_input_naming_it()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // free once closed: nobody listens there
        }
        (int exit, _, string error) = Invoke("alarms", "--store", $"postgres://collector:secret@127.0.0.1:{port}/fleet");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"cannot open the database postgres://collector@127.0.0.1:{port}/fleet", error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal); // no stack trace
    }
}
