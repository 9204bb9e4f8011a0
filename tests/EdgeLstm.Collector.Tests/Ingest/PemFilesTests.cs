using System.Security.Cryptography.X509Certificates;
using EdgeLstm.Collector.Ingest;
using EdgeLstm.Testing;

namespace EdgeLstm.Collector.Tests.Ingest;

/// <summary>
/// The certificates the collector's TLS options read (--tcp-tls-cert/--tcp-client-ca, --http-cert, --broker-ca/--broker-cert):
/// each way a file can be wrong gives a reason, never an exception.
/// </summary>
public sealed class PemFilesTests : IDisposable
{
    private readonly TestCertificates _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void A_certificate_with_its_key_loads_and_a_missing_or_mismatched_key_gives_a_reason()
    {
        using (X509Certificate2? certificate = PemFiles.LoadCertificate(_pki.ServerCert, _pki.ServerKey, out string? problem))
        {
            Assert.Null(problem);
            Assert.True(certificate!.HasPrivateKey);
        }

        Assert.Null(PemFiles.LoadCertificate(_pki.ServerCert, Path.Combine(_pki.Folder, "missing.key"), out string? missing));
        Assert.False(string.IsNullOrWhiteSpace(missing));
        Assert.Null(PemFiles.LoadCertificate(_pki.ServerCert, _pki.ClientKey, out string? mismatched));
        Assert.False(string.IsNullOrWhiteSpace(mismatched));
    }

    [Fact]
    public void A_CA_file_loads_and_a_missing_file_or_one_without_a_certificate_gives_a_reason()
    {
        X509Certificate2Collection? trusted = PemFiles.LoadCertificates(_pki.CaFile, out string? problem);
        Assert.Null(problem);
        Assert.Single(trusted!);

        Assert.Null(PemFiles.LoadCertificates(Path.Combine(_pki.Folder, "missing.pem"), out string? missing));
        Assert.StartsWith("cannot be read: ", missing, StringComparison.Ordinal);

        string text = Path.Combine(_pki.Folder, "notes.txt");
        File.WriteAllText(text, "not a certificate\n");
        Assert.Null(PemFiles.LoadCertificates(text, out string? empty));
        Assert.Equal(PemFiles.NoCertificate, empty);
    }
}
