using System.Security.Cryptography;

namespace EdgeLstm.Core.Signing;

/// <summary>
/// ECDSA P-256 key pairs in PEM files: a PKCS#8 <c>PRIVATE KEY</c> (or OpenSSL's <c>EC PRIVATE KEY</c>) to sign with,
/// a SubjectPublicKeyInfo <c>PUBLIC KEY</c> for boards to pin. .NET's own <see cref="ECDsa"/> (OpenSSL on Linux).
/// </summary>
public static class SigningKeys
{
    /// <summary>The curve every EdgeLstm signature uses (NIST P-256, secp256r1).</summary>
    public const string CurveName = "P-256";

    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>The largest PEM file read: a P-256 key is a few hundred bytes, so more is not a key.</summary>
    public const int MaxPemLength = 16 * 1024;

    /// <summary>A new P-256 key pair.</summary>
    public static ECDsa Generate() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The private key as PKCS#8 PEM.</summary>
    public static string PrivatePem(ECDsa key) => key.ExportPkcs8PrivateKeyPem();

    /// <summary>The public key as SubjectPublicKeyInfo PEM.</summary>
    public static string PublicPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Reads a public key (a <c>PUBLIC KEY</c> PEM) for verifying.</summary>
    /// <exception cref="SignatureException">The file is missing, unreadable, not a PEM public key, or not P-256; the message names the path.</exception>
    public static ECDsa LoadPublic(string path) => Load(path, wantPrivate: false);

    /// <summary>Reads a private key (a <c>PRIVATE KEY</c> or <c>EC PRIVATE KEY</c> PEM) for signing.</summary>
    /// <exception cref="SignatureException">The file is missing, unreadable, not a PEM private key, or not P-256; the message names the path.</exception>
    public static ECDsa LoadPrivate(string path) => Load(path, wantPrivate: true);

    /// <summary>Parses a public key from PEM text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="SignatureException">The text is not a P-256 public key.</exception>
    public static ECDsa ParsePublic(string pem, string source) => Parse(pem, source, wantPrivate: false);

    private static ECDsa Load(string path, bool wantPrivate)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new SignatureException($"{path}: no such key file.");
            if (info.Length > MaxPemLength) throw new SignatureException($"{path}: {info.Length:N0} bytes is too large for a PEM key file ({MaxPemLength:N0} at most).");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SignatureException($"{path}: the key file cannot be read: {e.Message}", e);
        }
        return Parse(text, path, wantPrivate);
    }

    private static ECDsa Parse(string pem, string source, bool wantPrivate)
    {
        string wanted = wantPrivate ? "PRIVATE KEY" : "PUBLIC KEY";
        bool hasPrivate = pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal);
        bool hasPublic = pem.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal);
        if (wantPrivate ? !hasPrivate : !hasPublic)
        {
            string found = hasPrivate ? "a private key (give the public.pem beside it; a board never holds the private key)"
                : hasPublic ? "a public key (signing needs the private key)"
                : "no PEM key";
            throw new SignatureException($"{source}: expected a PEM '{wanted}' but found {found}.");
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            ECParameters parameters = key.ExportParameters(false);
            if (parameters.Curve.Oid?.Value != P256Oid && parameters.Curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256" or "secp256r1"))
                throw new SignatureException($"{source}: the key is on curve '{parameters.Curve.Oid?.FriendlyName ?? parameters.Curve.Oid?.Value ?? "explicit"}'; EdgeLstm signs with {CurveName} only.");
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new SignatureException($"{source}: not a usable {CurveName} {wanted}: {e.Message}", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
