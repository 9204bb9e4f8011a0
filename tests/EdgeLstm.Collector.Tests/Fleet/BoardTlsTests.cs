using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Tests.Servers;
using Xunit.Abstractions;

namespace EdgeLstm.Collector.Tests.Fleet;

/// <summary>
/// Issue 18's authenticated links, board side, with real parts: the demo board (the real runtime, in process) speaks
/// TLS (its own OpenSSL client) to a real Mosquitto's TLS listeners, one asking a password and one requiring a client
/// certificate; the real collector (a child process) takes the frames from Mosquitto's plain loopback port. A link that
/// is accepted gets every frame stored once and acknowledged; every refusal is one clear sentence in the board's log,
/// its frames stay in the journal, and a run with the setting fixed delivers them, each stored once.
/// </summary>
[Collection(PostgresTests.Name)] // one fleet at a time: each runs a broker, a collector and a board
public sealed class BoardTlsTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private const string Device = "tls-1";

    private readonly TestCertificates _pki = new();
    private readonly FleetRig _rig;
    private readonly MosquittoTls _tls;

    public BoardTlsTests(ITestOutputHelper output)
    {
        _output = output;
        _tls = new MosquittoTls(_pki);
        _rig = new FleetRig(_tls);
    }

    public void Dispose()
    {
        _rig.Dispose();
        _pki.Dispose();
    }

    private string PasswordSink(string? password = null, string? ca = null) =>
        $"mqtts://{_tls.Username}:{Uri.EscapeDataString(password ?? _tls.Password)}@127.0.0.1:{_rig.Broker.PasswordTlsPort}?ca={ca ?? _pki.CaFile}";

    private string CertificateSink(bool withCertificate = true) =>
        $"mqtts://127.0.0.1:{_rig.Broker.CertificateTlsPort}?ca={_pki.CaFile}" + (withCertificate ? $"&cert={_pki.ClientCert}&key={_pki.ClientKey}" : "");

    /// <summary>One whole demo run through <paramref name="sink"/> (reruns on its journal until nothing is left), every frame stored once.</summary>
    private void AssertDemoStoredOnce(FleetStore store, string sink)
    {
        string journal = _rig.Journal(Device);
        DemoBoard board = _rig.StartBoard(Device, journal, sink: sink);
        long framesMade = _rig.FinishAndResend(board, journal, sink);
        Assert.True(store.WaitForFrames(Device, framesMade, FleetRig.Patience), $"{store.Device(Device)?.Frames} of {framesMade} frames stored: {board.Log}\n{_rig.Logs}");
        store.AssertEveryFrameOnce(Device, framesMade);
        using IFrameStore opened = store.Open();
        Assert.Equal(DemoBoard.Predictions, opened.Predictions(Device, default).Count);
    }

    /// <summary>
    /// A run through <paramref name="refused"/> keeps every frame in the journal and logs <paramref name="sentence"/>;
    /// a run through <paramref name="fixedSink"/> on the same journal then delivers all of them, each stored once.
    /// </summary>
    private void AssertRefusedThenDelivered(string refused, string sentence, string fixedSink)
    {
        FleetStore store = _rig.SqliteStore();
        _rig.StartCollector(store, "tls-collector");
        string journal = _rig.Journal(Device);
        DemoBoard board = _rig.StartBoard(Device, journal, sink: refused);
        board.WaitForExit(FleetRig.Patience);
        _output.WriteLine(string.Join('\n', board.Log.Split('\n').Where(line => line.Contains("degraded", StringComparison.Ordinal))));
        Assert.True(board.Log.Contains(sentence, StringComparison.Ordinal), $"'{sentence}' not in the board's log: {board.Log}");
        Assert.False(board.LeftNothingUnacknowledged, board.Log);
        Assert.Null(store.Device(Device));
        long framesMade = board.FramesEmitted + _rig.FinishAndResend(_rig.StartBoard(Device, journal, TimeSpan.FromSeconds(1), sink: fixedSink), journal, fixedSink);
        Assert.True(store.WaitForFrames(Device, framesMade, FleetRig.Patience), $"{store.Device(Device)?.Frames} of {framesMade} frames stored: {_rig.Logs}");
        store.AssertEveryFrameOnce(Device, framesMade);
    }

    [MosquittoFact]
    public void A_board_over_mqtts_with_a_password_and_the_brokers_CA_is_stored_once_and_acknowledged()
    {
        FleetStore store = _rig.SqliteStore();
        _rig.StartCollector(store, "tls-collector");
        AssertDemoStoredOnce(store, PasswordSink());
    }

    [MosquittoFact]
    public void A_board_over_mqtts_with_a_client_certificate_is_stored_once_and_acknowledged()
    {
        FleetStore store = _rig.SqliteStore();
        _rig.StartCollector(store, "tls-collector");
        AssertDemoStoredOnce(store, CertificateSink());
        Assert.Contains($"New client connected from 127.0.0.1", _rig.Broker.Log, StringComparison.Ordinal);
        Assert.Contains($"u'{_pki.ClientName}'", _rig.Broker.Log, StringComparison.Ordinal); // the certificate's CN is the user name
    }

    [MosquittoFact]
    public void A_board_with_the_brokers_certificate_pinned_is_stored_once()
    {
        FleetStore store = _rig.SqliteStore();
        _rig.StartCollector(store, "tls-collector");
        AssertDemoStoredOnce(store, $"mqtts://{_tls.Username}:{_tls.Password}@127.0.0.1:{_rig.Broker.PasswordTlsPort}?pin={_pki.ServerPin}");
    }

    [MosquittoFact]
    public void A_broker_certificate_not_signed_by_the_boards_CA_is_refused_and_nothing_is_lost() =>
        AssertRefusedThenDelivered(PasswordSink(ca: _pki.OtherCaFile), "the broker's certificate is not signed by other-ca.pem", PasswordSink());

    [MosquittoFact]
    public void A_broker_certificate_issued_to_another_name_is_refused_and_nothing_is_lost() =>
        AssertRefusedThenDelivered(PasswordSink() + "&name=broker.elsewhere.example", "the broker's certificate is not issued to broker.elsewhere.example", PasswordSink());

    [MosquittoFact]
    public void A_broker_certificate_that_differs_from_the_pin_is_refused_and_nothing_is_lost()
    {
        string wrongPin = string.Join(':', Enumerable.Repeat("AB", 32));
        AssertRefusedThenDelivered($"mqtts://{_tls.Username}:{_tls.Password}@127.0.0.1:{_rig.Broker.PasswordTlsPort}?pin={wrongPin}",
            $"the broker's certificate (SHA-256 {_pki.ServerPin}) differs from the pinned one ({wrongPin})", PasswordSink());
    }

    [MosquittoFact]
    public void A_wrong_password_is_refused_without_showing_it_and_nothing_is_lost()
    {
        FleetStore store = _rig.SqliteStore();
        _rig.StartCollector(store, "tls-collector");
        string journal = _rig.Journal(Device);
        DemoBoard board = _rig.StartBoard(Device, journal, sink: PasswordSink(password: "not-the-password"));
        board.WaitForExit(FleetRig.Patience);
        _output.WriteLine(string.Join('\n', board.Log.Split('\n').Where(line => line.Contains("degraded", StringComparison.Ordinal))));
        Assert.True(board.Log.Contains("the broker refused the connection", StringComparison.Ordinal), board.Log);
        Assert.DoesNotContain("not-the-password", board.Log, StringComparison.Ordinal);
        long framesMade = board.FramesEmitted + _rig.FinishAndResend(_rig.StartBoard(Device, journal, TimeSpan.FromSeconds(1), sink: PasswordSink()), journal, PasswordSink());
        Assert.True(store.WaitForFrames(Device, framesMade, FleetRig.Patience), $"{store.Device(Device)?.Frames} of {framesMade} frames stored: {_rig.Logs}");
        store.AssertEveryFrameOnce(Device, framesMade);
    }

    [MosquittoFact]
    public void A_board_without_a_client_certificate_is_refused_where_one_is_required_and_nothing_is_lost() =>
        AssertRefusedThenDelivered(CertificateSink(withCertificate: false), "the broker requires a client certificate and the board has none", CertificateSink());

    [MosquittoFact]
    public void Plain_mqtt_to_a_TLS_port_is_refused_and_nothing_is_lost() =>
        AssertRefusedThenDelivered($"mqtt://{_tls.Username}:{_tls.Password}@127.0.0.1:{_rig.Broker.PasswordTlsPort}", "closed the connection before answering (a TLS port? then use mqtts://)", PasswordSink());

    [MosquittoFact]
    public void Mqtts_to_a_plain_port_is_refused_and_nothing_is_lost() =>
        AssertRefusedThenDelivered($"mqtts://127.0.0.1:{_rig.Broker.Port}?ca={_pki.CaFile}", $"does 127.0.0.1:{_rig.Broker.Port} speak TLS?", PasswordSink());
}
