using System.Net;
using EdgeLstm.Collector.Ingest;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Sqlite;
using EdgeLstm.Collector.Tests.Fleet;
using EdgeLstm.Collector.Tests.Monitor;
using EdgeLstm.Collector.Tests.Servers;
using Xunit.Abstractions;

namespace EdgeLstm.Collector.Tests.Ingest;

/// <summary>
/// Issue 18's authenticated links, collector side, with real parts: the TCP ingest serving TLS (SslStream) to the demo
/// board's TCP sink (the board's own OpenSSL client) with the collector's certificate pinned, and refusing a board
/// without a client certificate when it requires one; the collector's MQTT ingest over TLS to a real Mosquitto with a
/// password and with a client certificate; the monitor over HTTPS. Certificates are made fresh by each test.
/// </summary>
[Collection(PostgresTests.Name)] // with the fleet tests, one at a time: each runs boards and a collector
public sealed class CollectorTlsTests(ITestOutputHelper output) : IDisposable
{
    private const string Device = "tcp-tls-1";

    private readonly TestCertificates _pki = new();
    private readonly TempDatabase _database = new();
    private readonly StringWriter _logText = new();


    private TextWriter? _log;

    private TextWriter LogWriter => _log ??= TextWriter.Synchronized(_logText);

    private string Log
    {
        get
        {
            lock (LogWriter) return _logText.ToString(); // the synchronized writer locks itself while writing
        }
    }

    public void Dispose()
    {
        _database.Dispose();
        _pki.Dispose();
    }

    private TcpIngest Listen(IFrameStore store, bool requireClientCertificate)
    {
        TcpTls tls = TcpTls.Load(_pki.ServerCert, _pki.ServerKey, requireClientCertificate ? _pki.CaFile : null, out string? problem) ?? throw new InvalidOperationException(problem);
        var ingest = new TcpIngest(store, new TcpIngestOptions(new IPEndPoint(IPAddress.Loopback, 0)) { Tls = tls }, LogWriter);
        ingest.Start();
        return ingest;
    }

    private string Journal => Path.Combine(_database.Folder, "journal");

    /// <summary>Runs the demo through <paramref name="sink"/> on the test's journal (again, briefly, until nothing is left unacknowledged); returns the frames made.</summary>
    private long RunUntilDelivered(string sink)
    {
        long frames = 0;
        for (int run = 0; run < 5; run++)
        {
            using DemoBoard board = DemoBoard.Start(0, Device, Journal, run == 0 ? null : TimeSpan.FromSeconds(1), sink: sink);
            board.WaitForExit(FleetRig.Patience);
            frames += board.FramesEmitted;
            if (board.LeftNothingUnacknowledged) return frames;
        }
        Assert.Fail($"frames still unacknowledged after 5 runs: {Log}");
        return frames;
    }

    private static void AssertStoredOnce(SqliteFrameStore store, long frames, int demoRuns = 1)
    {
        DeviceRecord device = store.Devices().Single(d => d.DeviceId == Device);
        Assert.Equal((ulong)(frames - 1), device.HighestSequence);
        Assert.Equal(frames, device.Frames);
        Assert.Equal(demoRuns * DemoBoard.Predictions, store.Predictions(Device, default).Count);
    }

    [Fact]
    public void A_tcp_board_with_the_collectors_certificate_pinned_is_stored_once_over_tls()
    {
        using var store = new SqliteFrameStore(_database.Path);
        using TcpIngest ingest = Listen(store, requireClientCertificate: false);
        long frames = RunUntilDelivered($"tcps://127.0.0.1:{ingest.Endpoint.Port}?pin={_pki.ServerPin}");
        AssertStoredOnce(store, frames);
        Assert.Equal(0, ingest.Counters.Refused);
    }

    [Fact]
    public void A_tcp_board_checking_the_collector_against_its_CA_is_stored_once_over_tls()
    {
        using var store = new SqliteFrameStore(_database.Path);
        using TcpIngest ingest = Listen(store, requireClientCertificate: false);
        long frames = RunUntilDelivered($"tcps://127.0.0.1:{ingest.Endpoint.Port}?ca={_pki.CaFile}");
        AssertStoredOnce(store, frames);
    }

    [Fact]
    public void A_tcp_board_without_a_client_certificate_is_refused_logged_and_counted_and_delivers_once_it_has_one()
    {
        using var store = new SqliteFrameStore(_database.Path);
        using TcpIngest ingest = Listen(store, requireClientCertificate: true);
        string pinned = $"tcps://127.0.0.1:{ingest.Endpoint.Port}?pin={_pki.ServerPin}";
        long frames;
        using (DemoBoard refused = DemoBoard.Start(0, Device, Journal, sink: pinned))
        {
            refused.WaitForExit(FleetRig.Patience);
            Assert.False(refused.LeftNothingUnacknowledged, refused.Log);
            output.WriteLine(refused.Log);
            Assert.Contains($"TLS to the collector 127.0.0.1:{ingest.Endpoint.Port} failed: the collector requires a client certificate and the board has none", refused.Log, StringComparison.Ordinal);
            frames = refused.FramesEmitted;
        }
        Assert.True(ingest.Counters.Refused >= 1, $"{ingest.Counters.Refused} refused: {Log}");
        Assert.Matches(@"edgelstm-collector: 127\.0\.0\.1:\d+: refused: the board presented no client certificate", Log.ToString());
        Assert.Empty(store.Devices());

        frames += RunUntilDelivered($"{pinned}&cert={_pki.ClientCert}&key={_pki.ClientKey}");
        AssertStoredOnce(store, frames, demoRuns: 2); // the refused run's frames, then a whole second run's
    }

    [Fact]
    public void A_tcp_board_whose_client_certificate_another_CA_signed_is_refused_logged_and_counted()
    {
        using var store = new SqliteFrameStore(_database.Path);
        using TcpIngest ingest = Listen(store, requireClientCertificate: true);
        using DemoBoard refused = DemoBoard.Start(0, Device, Journal, TimeSpan.FromSeconds(2),
            sink: $"tcps://127.0.0.1:{ingest.Endpoint.Port}?ca={_pki.CaFile}&cert={_pki.ForeignClientCert}&key={_pki.ForeignClientKey}");
        refused.WaitForExit(FleetRig.Patience);
        output.WriteLine(refused.Log);
        Assert.False(refused.LeftNothingUnacknowledged, refused.Log);
        Assert.Contains($"TLS to the collector 127.0.0.1:{ingest.Endpoint.Port} failed: ", refused.Log, StringComparison.Ordinal);
        // Under TLS 1.2 the handshake fails; under TLS 1.3 the collector closes the connection right after it.
        Assert.Contains("refused the board's client certificate foreign-client.pem", refused.Log, StringComparison.Ordinal);
        Assert.True(ingest.Counters.Refused >= 1, $"{ingest.Counters.Refused} refused: {Log}");
        Assert.Matches(@"edgelstm-collector: 127\.0\.0\.1:\d+: refused: the board's client certificate \(CN=board-1\) is not signed by ca\.pem", Log);
        Assert.Empty(store.Devices());
    }

    [MosquittoFact]
    public void The_collector_takes_mqtt_over_tls_with_a_password_checked_against_the_brokers_CA()
    {
        var tls = new MosquittoTls(_pki);
        using var rig = new FleetRig(tls);
        FleetStore store = rig.SqliteStore();
        CollectorProcess collector = rig.StartCollector(store, "tls-collector", $"mqtts://{tls.Username}:{tls.Password}@127.0.0.1:{rig.Broker.PasswordTlsPort}", "--broker-ca", _pki.CaFile);
        long frames = rig.FinishAndResend(rig.StartBoard(Device, rig.Journal(Device)), rig.Journal(Device));
        Assert.True(store.WaitForFrames(Device, frames, FleetRig.Patience), $"{store.Device(Device)?.Frames} of {frames} stored: {rig.Logs}");
        store.AssertEveryFrameOnce(Device, frames);
        Assert.DoesNotContain(tls.Password, collector.Output, StringComparison.Ordinal);
    }

    [MosquittoFact]
    public void The_collector_takes_mqtt_over_tls_with_a_client_certificate()
    {
        using var rig = new FleetRig(new MosquittoTls(_pki));
        FleetStore store = rig.SqliteStore();
        rig.StartCollector(store, "tls-collector", $"mqtts://127.0.0.1:{rig.Broker.CertificateTlsPort}",
            "--broker-ca", _pki.CaFile, "--broker-cert", _pki.ClientCert, "--broker-key", _pki.ClientKey);
        long frames = rig.FinishAndResend(rig.StartBoard(Device, rig.Journal(Device)), rig.Journal(Device));
        Assert.True(store.WaitForFrames(Device, frames, FleetRig.Patience), $"{store.Device(Device)?.Frames} of {frames} stored: {rig.Logs}");
        store.AssertEveryFrameOnce(Device, frames);
    }

    [MosquittoFact]
    public void The_collector_refuses_a_broker_certificate_its_CA_did_not_sign_and_says_so()
    {
        var tls = new MosquittoTls(_pki);
        using var rig = new FleetRig(tls);
        var error = new StringWriter();
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        int exit = -1;
        var run = new Thread(() => exit = EdgeLstm.Collector.Cli.CollectorCli.Invoke(["run", "--tcp-port", "0", "--no-http", "--store", _database.Path,
            "--broker", $"mqtts://{tls.Username}:{tls.Password}@127.0.0.1:{rig.Broker.PasswordTlsPort}", "--broker-ca", _pki.OtherCaFile], TextWriter.Synchronized(output), TextWriter.Synchronized(error), stop.Token));
        run.Start();
        bool said = SpinWait.SpinUntil(() => error.ToString().Contains("cannot reach the broker", StringComparison.Ordinal), FleetRig.Patience);
        stop.Cancel();
        Assert.True(run.Join(FleetRig.Patience), "run did not stop");
        Assert.True(said, $"{output}\n{error}");
        Assert.Contains("not connected yet", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(tls.Password, error.ToString() + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_monitor_serves_https_with_the_given_certificate()
    {
        using var rig = new MonitorRig();
        rig.Commit("pump-07", Frames.Hello(0), Frames.Prediction(1));
        rig.Start("--http-cert", _pki.ServerCert, "--http-key", _pki.ServerKey);
        Assert.Equal("https", rig.Url.Scheme);
        using HttpClient client = rig.Client(_pki.ServerCert);
        using HttpResponseMessage page = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("pump-07", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_require_login_on_loopback_every_page_needs_a_login()
    {
        using var rig = new MonitorRig();
        string users = Path.Combine(rig.Folder, "users");
        Assert.Equal(0, EdgeLstm.Collector.Cli.CollectorCli.Invoke(["user", "add", "ana", "--users", users], new StringReader("s3cret\n"), new StringWriter(), new StringWriter()));
        rig.Start("--require-login", "--users", users, "--http-cert", _pki.ServerCert, "--http-key", _pki.ServerKey);
        using HttpClient client = rig.Client(_pki.ServerCert);
        using HttpResponseMessage page = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/login", page.Headers.Location?.ToString(), StringComparison.Ordinal);
    }
}
