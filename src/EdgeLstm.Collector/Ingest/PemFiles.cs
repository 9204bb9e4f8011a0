using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeLstm.Collector.Ingest;

/// <summary>
/// Certificates read from PEM files, for the collector's TLS listeners (TCP ingest, HTTPS monitor) and its broker
/// client: what can go wrong reading one is decided here once; callers name the option or file in their messages.
/// </summary>
internal static class PemFiles
{
    /// <summary>The reason <see cref="LoadCertificates"/> gives for a file without a certificate.</summary>
    public const string NoCertificate = "holds no PEM certificate";

    /// <summary>
    /// The certificate in <paramref name="certFile"/> with the private key in <paramref name="keyFile"/>; null with the
    /// reason (the exception's message) in <paramref name="problem"/> when the pair cannot be used.
    /// </summary>
    public static X509Certificate2? LoadCertificate(string certFile, string keyFile, out string? problem)
    {
        try
        {
            problem = null;
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>
    /// Every certificate in the PEM file <paramref name="path"/> (a CA bundle); null with the reason in
    /// <paramref name="problem"/> ("cannot be read: …" or "holds no PEM certificate") when there is none.
    /// </summary>
    public static X509Certificate2Collection? LoadCertificates(string path, out string? problem)
    {
        X509Certificate2Collection certificates = [];
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            problem = $"cannot be read: {e.Message}";
            return null;
        }
        problem = certificates.Count == 0 ? NoCertificate : null;
        return problem is null ? certificates : null;
    }
}
