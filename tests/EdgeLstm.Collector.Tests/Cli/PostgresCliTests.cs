using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Postgres;
using EdgeLstm.Collector.Tests.Servers;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Tests.Cli;

/// <summary>The commands against a PostgreSQL <c>--store</c>.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresCliTests(PostgresServer server)
{
    [PostgresFact]
    public void Devices_alarms_and_export_read_a_PostgreSQL_store()
    {
        Npgsql.NpgsqlConnectionStringBuilder settings = server.CreateDatabase();
        using (var store = new PostgresFrameStore(settings))
        {
            store.Commit(Frames.Received("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Alarm(2, raised: true)));
            store.RecordStatus("pump-07", online: true, (long)Frames.Epoch);
        }
        string uri = server.Uri(settings);

        (int exit, string devices, string error) = CollectorCliTests.Invoke("devices", "--store", uri);
        Assert.True(exit == ExitCodes.Success, error);
        Assert.EndsWith(",3,0,1,2026-11-28T06:00:00.000Z\n", devices, StringComparison.Ordinal);
        Assert.Equal(2, CollectorCliTests.Invoke("alarms", "--store", uri, "--open").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        string predictions = CollectorCliTests.Invoke("export", "--store", uri, "--device", "pump-07", "--frames", "predictions").Output;
        Assert.StartsWith("2026-11-28T06:00:00.010Z,1,0,0,", predictions.Split('\n')[1], StringComparison.Ordinal);
    }

    [PostgresFact]
    public void Wrong_credentials_are_one_line_of_bad_input_without_the_password()
    {
        Npgsql.NpgsqlConnectionStringBuilder settings = server.CreateDatabase();
        (int exit, _, string error) = CollectorCliTests.Invoke("devices", "--store", server.Uri(settings, password: "wrong-guess-42"));
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"postgres://{PostgresServer.User}@127.0.0.1:{server.Port}/{settings.Database}", error, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-guess-42", error, StringComparison.Ordinal);
    }
}
