namespace EdgeLstm.Runtime.Sinks.Tls;

/// <summary>
/// A TLS link that could not be set up or failed, in one sentence naming the server and what failed, e.g. "TLS to the
/// broker mqtt.plant:8883 failed: the broker's certificate is not signed by ca.pem". An <see cref="IOException"/>, so
/// a delivery sink logs it once and retries with backoff, keeping the frames in the journal.
/// </summary>
internal sealed class TlsException : IOException
{
    // OpenSSL 3 reason codes (sslerr.h): a TLS alert's reason is 1000 + the alert number (RFC 8446 § 6).
    private const int CertificateVerifyFailed = 134;
    private const int WrongVersionNumber = 267;
    private const int UnexpectedEof = 294;
    private const int AlertBadCertificate = 1042;
    private const int AlertCertificateUnknown = 1046;
    private const int AlertUnknownCa = 1048;
    private const int AlertAccessDenied = 1049;
    private const int AlertCertificateRequired = 1116;

    public TlsException(string message) : base(message) { }

    public TlsException(string message, Exception inner) : base(message, inner) { }

    public TlsException() { }

    /// <summary>What a failed OpenSSL call on a link means, from its SSL_get_error code and the thread's error queue (which it empties).</summary>
    /// <param name="link">Who the link goes to.</param>
    /// <param name="ssl">The connection, for its certificate verification result.</param>
    /// <param name="sslError">SSL_get_error's answer.</param>
    /// <param name="handshake">True while the handshake runs (a closed connection then hints at a port without TLS).</param>
    /// <param name="nothingReceived">True when no byte of data has come from the server yet (under TLS 1.3 a server
    /// refuses a client certificate after the client's handshake has finished).</param>
    internal static TlsException FromOpenSsl(TlsLink link, nint ssl, int sslError, bool handshake, bool nothingReceived = false)
    {
        List<nuint> errors = OpenSsl.TakeErrors();
        string reason = link.Options.CertFile is null && TlsClientContext.WasAskedForCertificate(ssl)
            && (errors.Count == 0 || OpenSsl.Reason(errors[0]) is > 1000 or UnexpectedEof)
            ? NoClientCertificate(link, errors)
            : errors.Count == 0 || OpenSsl.Reason(errors[0]) == UnexpectedEof ? Closed(link, ssl, sslError, handshake, nothingReceived) : Describe(link, ssl, errors[0]);
        return new TlsException($"TLS to {link} failed: {reason}");
    }

    /// <summary>The server asked for a client certificate (or says it needs one) and then ended the handshake or the connection.</summary>
    private static string NoClientCertificate(TlsLink link, List<nuint> errors) =>
        $"the {link.Role} requires a client certificate and the board has none (give tls.certFile and tls.keyFile)" + (errors.Count > 0 ? $" (OpenSSL: {OpenSsl.Describe(errors[0])})" : "");

    /// <summary>
    /// The server closed the connection. During the handshake, a server that had already sent its certificate speaks
    /// TLS: if the board presented a client certificate, that is what it refused.
    /// </summary>
    private static string Closed(TlsLink link, nint ssl, int sslError, bool handshake, bool nothingReceived)
    {
        if (!handshake && nothingReceived && link.Options.CertFile is { } presented)
            return $"the {link.Role} closed the connection right after the handshake: it refused the board's client certificate {Path.GetFileName(presented)}, or is shutting down";
        if (!handshake) return sslError == OpenSsl.SslErrorZeroReturn ? $"the {link.Role} closed the TLS session" : $"the {link.Role} closed the connection";
        if (!PresentedCertificate(ssl)) return $"the {link.Role} closed the connection during the handshake (does {link.Host}:{link.Port} speak TLS?)";
        return link.Options.CertFile is { } cert
            ? $"the {link.Role} refused the board's client certificate {Path.GetFileName(cert)} (it closed the connection during the handshake)"
            : $"the {link.Role} closed the connection during the handshake";
    }

    private static bool PresentedCertificate(nint ssl)
    {
        nint certificate = OpenSsl.SslGet1PeerCertificate(ssl);
        if (certificate == 0) return false;
        OpenSsl.X509Free(certificate);
        return true;
    }

    private static string Describe(TlsLink link, nint ssl, nuint error)
    {
        TlsClientOptions options = link.Options;
        string openSsl = $"(OpenSSL: {OpenSsl.Describe(error)})";
        switch (OpenSsl.Reason(error))
        {
            case CertificateVerifyFailed:
                long result = OpenSsl.SslGetVerifyResult(ssl);
                return $"{VerifyFailure(link, result)} (OpenSSL: {OpenSsl.DescribeVerifyResult(result)})";
            case WrongVersionNumber:
                return $"{link.Host}:{link.Port} does not speak TLS (a plain port?) {openSsl}";
            case UnexpectedEof:
                return $"the {link.Role} closed the connection during the handshake (does {link.Host}:{link.Port} speak TLS?)";
            case AlertCertificateRequired:
            case AlertBadCertificate or AlertCertificateUnknown or AlertUnknownCa or AlertAccessDenied when options.CertFile is null:
                return NoClientCertificate(link, [error]);
            case AlertBadCertificate or AlertCertificateUnknown or AlertUnknownCa or AlertAccessDenied:
                return $"the {link.Role} refused the board's client certificate {Path.GetFileName(options.CertFile)} {openSsl}";
            default:
                return $"OpenSSL: {OpenSsl.Describe(error)}";
        }
    }

    /// <summary>Why the server's certificate was not accepted, from its X509_V_ERR_… code (x509_vfy.h).</summary>
    private static string VerifyFailure(TlsLink link, long result)
    {
        string whose = $"the {link.Role}'s certificate";
        return result switch
        {
            // unable to get issuer certificate (locally), self-signed leaf or chain, leaf not verifiable, bad signature
            2 or 7 or 18 or 19 or 20 or 21 => $"{whose} is not signed by {(link.Options.CaFile is { } ca ? Path.GetFileName(ca) : "a CA this system trusts")}",
            9 => $"{whose} is not valid yet (is the board's clock set?)",
            10 => $"{whose} has expired",
            // host name, IP address mismatch
            62 or 64 => $"{whose} is not issued to {link.ServerName} (tls.serverName names the one it should carry)",
            _ => $"{whose} was refused",
        };
    }
}
