using System.Security.Cryptography.X509Certificates;
using EdgeLstm.Runtime.Tests.Sinks;

namespace EdgeLstm.Runtime.Tests.Published;

/// <summary>
/// The board's own TLS client (OpenSSL through LibraryImport, no SslStream) as it ships: the published Native-AOT binary
/// runs the embedded demo over mqtts to a broker (MQTTnet's, in process, TLS by SslStream) that requires a client
/// certificate, and refuses a broker whose certificate is not the pinned one.
/// </summary>
public sealed class PublishedTlsTests : IDisposable
{
    private readonly TestCertificates _pki = new();
    private readonly X509Certificate2 _server;
    private readonly MqttAckingCollector _collector;

    public PublishedTlsTests()
    {
        _server = X509Certificate2.CreateFromPemFile(_pki.ServerCert, _pki.ServerKey);
        X509Certificate2Collection clientCa = [];
        clientCa.ImportFromPemFile(_pki.CaFile);
        _collector = new MqttAckingCollector(_server, clientCa);
    }

    public void Dispose()
    {
        _collector.Dispose();
        _server.Dispose();
        _pki.Dispose();
    }

    [Fact]
    public void The_published_board_delivers_the_demo_over_mqtts_with_a_client_certificate()
    {
        ProcessResult run = PublishedRuntime.Run(["run", "--device-id", "aot-tls",
            "--sink", $"mqtts://127.0.0.1:{_collector.TlsPort}?ca={_pki.CaFile}&cert={_pki.ClientCert}&key={_pki.ClientKey}"]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("nothing left unacknowledged", run.Error, StringComparison.Ordinal);
        Assert.True(_collector.Count > 1000, $"{_collector.Count} frames arrived: {run.Error}");
    }

    [Fact]
    public void The_published_board_refuses_a_broker_whose_certificate_is_not_the_pinned_one()
    {
        string pin = string.Join(':', Enumerable.Repeat("00", 32));
        ProcessResult run = PublishedRuntime.Run(["run", "--device-id", "aot-tls", "--duration", "2",
            "--sink", $"mqtts://127.0.0.1:{_collector.TlsPort}?pin={pin}&cert={_pki.ClientCert}&key={_pki.ClientKey}"]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"TLS to the broker 127.0.0.1:{_collector.TlsPort} failed: the broker's certificate (SHA-256 {_pki.ServerPin}) differs from the pinned one", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, _collector.Count);
    }
}
