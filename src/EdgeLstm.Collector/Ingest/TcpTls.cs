using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeLstm.Collector.Ingest;

/// <summary>
/// TLS on the TCP ingest (<c>--tcp-tls-cert</c>, <c>--tcp-tls-key</c>): the collector's certificate, which boards pin
/// or check against their CA, and optionally (<c>--tcp-client-ca</c>) the CA every board's client certificate must be
/// signed by. A board that does not complete the handshake, has no client certificate or one another CA signed is
/// refused: one line naming its address, counted in <see cref="IngestCounters.Refused"/>, nothing read from it.
/// </summary>
internal sealed class TcpTls : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2Collection? _clientCa;
    private readonly string? _clientCaName;

    private TcpTls(X509Certificate2 certificate, X509Certificate2Collection? clientCa, string? clientCaName)
    {
        _certificate = certificate;
        _clientCa = clientCa;
        _clientCaName = clientCaName;
    }

    /// <summary>How long a board has to complete the handshake.</summary>
    public static TimeSpan HandshakeTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>True when boards must present a client certificate.</summary>
    public bool RequiresClientCertificate => _clientCa is not null;

    /// <summary>Loads the PEM files; null with the reason in <paramref name="problem"/> when one cannot be used.</summary>
    public static TcpTls? Load(string certFile, string keyFile, string? clientCaFile, out string? problem)
    {
        if (PemFiles.LoadCertificate(certFile, keyFile, out string? failure) is not { } certificate)
        {
            problem = $"the certificate '{certFile}' with the key '{keyFile}' cannot be used: {failure}";
            return null;
        }
        X509Certificate2Collection? clientCa = null;
        if (clientCaFile is not null && (clientCa = PemFiles.LoadCertificates(clientCaFile, out failure)) is null)
        {
            certificate.Dispose();
            problem = $"the client CA file '{clientCaFile}' {failure}";
            return null;
        }
        problem = null;
        return new TcpTls(certificate, clientCa, clientCaFile is null ? null : Path.GetFileName(clientCaFile));
    }

    /// <summary>
    /// The TLS stream over a board's <paramref name="socket"/> (owned from now on), or null when the board was refused
    /// (logged with <paramref name="peer"/>, counted, the socket closed).
    /// </summary>
    public SslStream? Authenticate(Socket socket, string peer, IngestCounters counters, TextWriter log, CancellationToken stop)
    {
        string? refusal = null;
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = _certificate,
            ClientCertificateRequired = _clientCa is not null,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (_clientCa is null) return true;
                refusal = ClientCertificateProblem(certificate as X509Certificate2);
                return refusal is null;
            },
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(HandshakeTimeout);
            stream.AuthenticateAsServerAsync(options, timeout.Token).GetAwaiter().GetResult();
            return stream;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            stream.Dispose();
            counters.AddRefused();
            string reason = refusal ?? (e is OperationCanceledException ? $"no TLS handshake within {HandshakeTimeout.TotalSeconds:0} s" : $"the TLS handshake failed ({e.Message})");
            log.WriteLine($"edgelstm-collector: {peer}: refused: {reason}");
            return null;
        }
    }

    /// <summary>Why a board's client certificate is not accepted, or null when it chains to the client CA.</summary>
    private string? ClientCertificateProblem(X509Certificate2? certificate)
    {
        if (certificate is null) return "the board presented no client certificate";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_clientCa!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2")); // TLS client authentication
        return chain.Build(certificate) ? null : $"the board's client certificate ({certificate.Subject}) is not signed by {_clientCaName} ({string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))})";
    }

    public void Dispose() => _certificate.Dispose();
}
