using System.Runtime.InteropServices;
using System.Text;

namespace EdgeLstm.Runtime.Sinks.Tls;

/// <summary>
/// The few OpenSSL 3 calls the board's TLS client makes (<see cref="TlsClientContext"/>, <see cref="OpenSslStream"/>).
/// The board does not reference <c>SslStream</c>: it pulls X.509 chain building, AIA downloads over System.Net.Http and
/// more into the Native-AOT binary (+2.65 MB on linux-arm64, measured), which would not fit in 8 MiB. OpenSSL's
/// <c>libssl.so.3</c> is the library .NET's own TLS uses on Linux and is on every Debian 12 and Raspberry Pi OS; these
/// imports are bound on first call, so a board without TLS configured never loads it.
/// </summary>
internal static unsafe partial class OpenSsl
{
    private const string Ssl = "libssl.so.3";
    private const string Crypto = "libcrypto.so.3";

    // Constants from OpenSSL 3's public headers (ssl.h, tls1.h, x509_vfy.h); the macros that wrap SSL_ctrl are spelled out.
    public const int SslErrorNone = 0;
    public const int SslErrorSsl = 1;
    public const int SslErrorWantRead = 2;
    public const int SslErrorWantWrite = 3;
    public const int SslErrorSyscall = 5;
    public const int SslErrorZeroReturn = 6;
    public const int SslVerifyNone = 0;
    public const int SslVerifyPeer = 1;
    public const int SslFiletypePem = 1;
    private const int SslCtrlMode = 33;
    private const int SslCtrlSetTlsextHostname = 55;
    private const int SslCtrlSetMinProtoVersion = 123;
    private const int TlsextNametypeHostName = 0;
    private const int Tls12Version = 0x0303;
    // Non-blocking writes are retried with the same bytes from a buffer that may have moved (a pinned span per call),
    // and a write may complete in parts.
    private const long SslModeEnablePartialWrite = 0x1;
    private const long SslModeAcceptMovingWriteBuffer = 0x2;

    [LibraryImport(Ssl, EntryPoint = "TLS_client_method")]
    public static partial nint TlsClientMethod();

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_new")]
    public static partial nint SslCtxNew(nint method);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_free")]
    public static partial void SslCtxFree(nint ctx);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_ctrl")]
    private static partial nint SslCtxCtrl(nint ctx, int cmd, nint larg, nint parg);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_load_verify_locations", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SslCtxLoadVerifyLocations(nint ctx, string? caFile, string? caPath);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_default_verify_paths")]
    public static partial int SslCtxSetDefaultVerifyPaths(nint ctx);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_verify")]
    public static partial void SslCtxSetVerify(nint ctx, int mode, nint callback);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_client_cert_cb")]
    public static partial void SslCtxSetClientCertCb(nint ctx, delegate* unmanaged<nint, nint, nint, int> callback);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_use_certificate_chain_file", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SslCtxUseCertificateChainFile(nint ctx, string file);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_use_PrivateKey_file", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SslCtxUsePrivateKeyFile(nint ctx, string file, int type);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_check_private_key")]
    public static partial int SslCtxCheckPrivateKey(nint ctx);

    [LibraryImport(Ssl, EntryPoint = "SSL_new")]
    public static partial nint SslNew(nint ctx);

    [LibraryImport(Ssl, EntryPoint = "SSL_free")]
    public static partial void SslFree(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_fd")]
    public static partial int SslSetFd(nint ssl, int fd);

    [LibraryImport(Ssl, EntryPoint = "SSL_set1_host", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SslSet1Host(nint ssl, string host);

    [LibraryImport(Ssl, EntryPoint = "SSL_ctrl")]
    private static partial nint SslCtrl(nint ssl, int cmd, nint larg, nint parg);

    [LibraryImport(Ssl, EntryPoint = "SSL_connect")]
    public static partial int SslConnect(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_read")]
    public static partial int SslRead(nint ssl, byte* buffer, int count);

    [LibraryImport(Ssl, EntryPoint = "SSL_write")]
    public static partial int SslWrite(nint ssl, byte* buffer, int count);

    [LibraryImport(Ssl, EntryPoint = "SSL_shutdown")]
    public static partial int SslShutdown(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_get_error")]
    public static partial int SslGetError(nint ssl, int result);

    [LibraryImport(Ssl, EntryPoint = "SSL_get1_peer_certificate")]
    public static partial nint SslGet1PeerCertificate(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_get_verify_result")]
    public static partial nint SslGetVerifyResult(nint ssl);

    [LibraryImport(Crypto, EntryPoint = "ERR_get_error")]
    public static partial nuint ErrGetError();

    [LibraryImport(Crypto, EntryPoint = "ERR_clear_error")]
    public static partial void ErrClearError();

    [LibraryImport(Crypto, EntryPoint = "ERR_error_string_n")]
    private static partial void ErrErrorStringN(nuint error, byte* buffer, nuint length);

    [LibraryImport(Crypto, EntryPoint = "X509_verify_cert_error_string")]
    private static partial byte* X509VerifyCertErrorString(nint code);

    [LibraryImport(Crypto, EntryPoint = "X509_free")]
    public static partial void X509Free(nint certificate);

    [LibraryImport(Crypto, EntryPoint = "i2d_X509")]
    private static partial int I2dX509(nint certificate, byte** output);

    /// <summary>SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION): nothing older than TLS 1.2.</summary>
    public static bool SetMinimumTls12(nint ctx) => SslCtxCtrl(ctx, SslCtrlSetMinProtoVersion, Tls12Version, 0) == 1;

    /// <summary>SSL_CTX_set_mode for non-blocking writes (see the mode constants).</summary>
    public static void SetNonBlockingWriteModes(nint ctx) => SslCtxCtrl(ctx, SslCtrlMode, (nint)(SslModeEnablePartialWrite | SslModeAcceptMovingWriteBuffer), 0);

    /// <summary>SSL_set_tlsext_host_name: the server name sent in the ClientHello (SNI).</summary>
    public static bool SetServerNameIndication(nint ssl, string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* pointer = bytes) return SslCtrl(ssl, SslCtrlSetTlsextHostname, TlsextNametypeHostName, (nint)pointer) == 1;
    }

    /// <summary>The DER encoding of a certificate (i2d_X509).</summary>
    public static byte[] Der(nint certificate)
    {
        int length = I2dX509(certificate, null);
        if (length <= 0) return [];
        byte[] der = new byte[length];
        fixed (byte* start = der)
        {
            byte* cursor = start; // i2d_X509 advances it
            if (I2dX509(certificate, &cursor) != length) return [];
        }
        return der;
    }

    /// <summary>The reason of an OpenSSL error code (ERR_GET_REASON).</summary>
    public static int Reason(nuint error) => (int)(error & 0x7FFFFF);

    /// <summary>OpenSSL's text for an error code, e.g. <c>error:0A000086:SSL routines::certificate verify failed</c>, shortened to its reason.</summary>
    public static string Describe(nuint error)
    {
        byte* buffer = stackalloc byte[256];
        ErrErrorStringN(error, buffer, 256);
        string text = Marshal.PtrToStringUTF8((nint)buffer) ?? "";
        // "error:0A000086:SSL routines::certificate verify failed": the words after the last colon say it.
        int colon = text.LastIndexOf(':');
        return colon >= 0 && colon < text.Length - 1 ? text[(colon + 1)..] : text;
    }

    /// <summary>OpenSSL's text for a certificate verification result (X509_V_ERR_…).</summary>
    public static string DescribeVerifyResult(long code) => Marshal.PtrToStringUTF8((nint)X509VerifyCertErrorString((nint)code)) ?? $"verification error {code}";

    /// <summary>Every error queued on this thread, oldest first; the queue is left empty.</summary>
    public static List<nuint> TakeErrors()
    {
        var errors = new List<nuint>();
        for (nuint error = ErrGetError(); error != 0; error = ErrGetError()) errors.Add(error);
        return errors;
    }
}
