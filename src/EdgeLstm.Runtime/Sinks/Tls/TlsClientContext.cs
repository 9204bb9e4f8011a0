using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace EdgeLstm.Runtime.Sinks.Tls;

/// <summary>
/// An OpenSSL client context (SSL_CTX) made once per sink from its <see cref="TlsClientOptions"/>: TLS 1.2 or newer,
/// the trusted CAs (or the system's), the board's client certificate. Files that cannot be used are refused when the
/// sink is created, so a wrong path stops the start instead of failing every reconnect. <see cref="Connect"/> runs
/// the handshake on a connected socket.
/// </summary>
internal sealed unsafe class TlsClientContext : IDisposable
{
    // Connections (SSL*) whose server asked for a client certificate the board does not have. A server that requires
    // one may just close the connection (under TLS 1.3 after the client's handshake has finished), and this is the
    // only way left to say why.
    private static readonly ConcurrentDictionary<nint, bool> AskedForCertificate = new();

    private readonly string _role;
    private nint _context;

    /// <summary>Creates the context; throws <see cref="TlsException"/> naming the file or library that cannot be used.</summary>
    /// <param name="options">How the server is checked and the board identified.</param>
    /// <param name="role">Who the server is to the board, for messages: "broker" or "collector".</param>
    public TlsClientContext(TlsClientOptions options, string role)
    {
        Options = options;
        _role = role;
        try
        {
            _context = OpenSsl.SslCtxNew(OpenSsl.TlsClientMethod());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new TlsException($"TLS to the {role} needs OpenSSL 3 (libssl.so.3), which this system lacks: install the package libssl3.", e);
        }
        if (_context == 0) throw Failed("OpenSSL cannot create a TLS context");
        try
        {
            if (!OpenSsl.SetMinimumTls12(_context)) throw Failed("OpenSSL refuses TLS 1.2 as the minimum version");
            OpenSsl.SetNonBlockingWriteModes(_context);
            LoadTrust(options);
            if (options.CertFile is { } cert) LoadClientCertificate(cert, options.KeyFile!);
            else OpenSsl.SslCtxSetClientCertCb(_context, &NoClientCertificate);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The options the context was made from.</summary>
    public TlsClientOptions Options { get; }

    private void LoadTrust(TlsClientOptions options)
    {
        if (options.CaFile is { } ca)
        {
            MustExist(ca, "CA file");
            if (OpenSsl.SslCtxLoadVerifyLocations(_context, ca, null) != 1) throw Failed($"the CA file '{ca}' holds no PEM certificate OpenSSL can read");
            OpenSsl.SslCtxSetVerify(_context, OpenSsl.SslVerifyPeer, 0);
        }
        else if (options.PinSha256 is null)
        {
            // Neither a CA nor a pin: the CAs this system trusts (a broker with a public certificate).
            if (OpenSsl.SslCtxSetDefaultVerifyPaths(_context) != 1) throw Failed("OpenSSL cannot load this system's trusted CAs");
            OpenSsl.SslCtxSetVerify(_context, OpenSsl.SslVerifyPeer, 0);
        }
        else
        {
            // Pinned only: OpenSSL lets any certificate through the handshake and Connect compares the one presented
            // with the pin before a byte of the board's own goes out; a self-signed server certificate is fine.
            OpenSsl.SslCtxSetVerify(_context, OpenSsl.SslVerifyNone, 0);
        }
    }

    private void LoadClientCertificate(string cert, string key)
    {
        MustExist(cert, "client certificate");
        MustExist(key, "client key");
        if (OpenSsl.SslCtxUseCertificateChainFile(_context, cert) != 1) throw Failed($"the client certificate '{cert}' is not a PEM certificate OpenSSL can read");
        if (OpenSsl.SslCtxUsePrivateKeyFile(_context, key, OpenSsl.SslFiletypePem) != 1) throw Failed($"the client key '{key}' is not an unencrypted PEM private key OpenSSL can read");
        if (OpenSsl.SslCtxCheckPrivateKey(_context) != 1) throw Failed($"the client key '{key}' does not belong to the certificate '{cert}'");
    }

    /// <summary>OpenSSL's client-certificate callback when the board has none: noted, and the handshake goes on without one.</summary>
    [UnmanagedCallersOnly]
    private static int NoClientCertificate(nint ssl, nint certificate, nint key)
    {
        AskedForCertificate[ssl] = true;
        return 0;
    }

    /// <summary>True when the server of <paramref name="ssl"/> asked for a client certificate and the board gave none.</summary>
    internal static bool WasAskedForCertificate(nint ssl) => AskedForCertificate.ContainsKey(ssl);

    /// <summary>Frees a connection and what is noted about it.</summary>
    internal static void Free(nint ssl)
    {
        AskedForCertificate.TryRemove(ssl, out _);
        OpenSsl.SslFree(ssl);
    }

    private static void MustExist(string path, string what)
    {
        if (!File.Exists(path)) throw new TlsException($"the {what} '{path}' does not exist.");
    }

    private static TlsException Failed(string what)
    {
        List<nuint> errors = OpenSsl.TakeErrors();
        return new TlsException(errors.Count == 0 ? $"{what}." : $"{what} (OpenSSL: {OpenSsl.Describe(errors[0])}).");
    }

    /// <summary>
    /// Runs the TLS handshake on <paramref name="socket"/> (connected to <paramref name="host"/>:<paramref name="port"/>,
    /// which becomes non-blocking and is owned by the stream from then on) within <paramref name="timeout"/>; checks the
    /// server's certificate (CA and name, or the pin). Throws <see cref="TlsException"/> saying what failed, or
    /// <see cref="TimeoutException"/>.
    /// </summary>
    public OpenSslStream Connect(Socket socket, string host, int port, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ObjectDisposedException.ThrowIf(_context == 0, this);
        var link = new TlsLink(_role, host, port, Options);
        OpenSsl.ErrClearError();
        nint ssl = OpenSsl.SslNew(_context);
        if (ssl == 0) throw Failed($"TLS to {link}: OpenSSL cannot create a connection");
        try
        {
            // OpenSSL reads and writes the descriptor itself; non-blocking, so that no wait ever happens inside OpenSSL
            // (OpenSslStream waits for readiness outside its lock).
            socket.Blocking = false;
            if (OpenSsl.SslSetFd(ssl, checked((int)socket.Handle)) != 1) throw Failed($"TLS to {link}: OpenSSL cannot use the socket");
            bool address = IPAddress.TryParse(link.ServerName, out _);
            // SNI carries host names only (RFC 6066); SSL_set1_host takes an address too and checks it against the IP SANs.
            if (!address && !OpenSsl.SetServerNameIndication(ssl, link.ServerName)) throw Failed($"TLS to {link}: OpenSSL refuses the server name '{link.ServerName}'");
            if ((Options.CaFile is not null || Options.PinSha256 is null) && OpenSsl.SslSet1Host(ssl, link.ServerName) != 1)
                throw Failed($"TLS to {link}: OpenSSL refuses the server name '{link.ServerName}'");
            Handshake(ssl, socket, link, timeout);
            CheckPin(ssl, link);
            return new OpenSslStream(ssl, socket, link);
        }
        catch
        {
            Free(ssl);
            throw;
        }
    }

    private static void Handshake(nint ssl, Socket socket, TlsLink link, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            OpenSsl.ErrClearError();
            int result = OpenSsl.SslConnect(ssl);
            if (result == 1) return;
            int error = OpenSsl.SslGetError(ssl, result);
            if (error is not (OpenSsl.SslErrorWantRead or OpenSsl.SslErrorWantWrite)) throw TlsException.FromOpenSsl(link, ssl, error, handshake: true);
            if (!OpenSslStream.WaitUntilReady(socket, error == OpenSsl.SslErrorWantRead ? SelectMode.SelectRead : SelectMode.SelectWrite, deadline))
                throw new TimeoutException($"TLS to {link}: no handshake within {DeliveryTimings.Words(timeout)}");
        }
    }

    private void CheckPin(nint ssl, TlsLink link)
    {
        if (Options.PinSha256 is not { } pin) return;
        nint certificate = OpenSsl.SslGet1PeerCertificate(ssl);
        if (certificate == 0) throw new TlsException($"TLS to {link} failed: the {link.Role} presented no certificate to compare with the pinned one");
        byte[] fingerprint;
        try
        {
            fingerprint = SHA256.HashData(OpenSsl.Der(certificate));
        }
        finally
        {
            OpenSsl.X509Free(certificate);
        }
        if (!CryptographicOperations.FixedTimeEquals(fingerprint, pin))
        {
            throw new TlsException($"TLS to {link} failed: the {link.Role}'s certificate (SHA-256 {TlsClientOptions.FormatPin(fingerprint)}) differs from the pinned one ({TlsClientOptions.FormatPin(pin)})");
        }
    }

    public void Dispose()
    {
        // Connections made from it hold their own reference (SSL_new): freeing it here leaves them working.
        if (_context != 0) OpenSsl.SslCtxFree(_context);
        _context = 0;
    }
}
