using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeLstm.Testing;

/// <summary>
/// A throw-away PKI made with .NET's <see cref="CertificateRequest"/> in a fresh temporary folder, as PEM files: a CA,
/// a server certificate it signed (for 127.0.0.1 and localhost), a client certificate it signed (CN = the board's
/// name), and a second CA that signed only a client certificate of the same name. ECDSA P-256, valid from an hour ago for a day (the CAs for two). Nothing of it is
/// committed; disposing deletes the folder.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    // One clock reading for all: a leaf must not outlive its CA by the microseconds between two readings.
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public TestCertificates(string clientName = "board-1")
    {
        Folder = Directory.CreateTempSubdirectory("edgelstm-pki-").FullName;
        ClientName = clientName;
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ca = SelfSignedCa("EdgeLstm test CA", caKey);
        Write(CaFile, ca.ExportCertificatePem());
        using ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 other = SelfSignedCa("EdgeLstm other CA", otherKey);
        Write(OtherCaFile, other.ExportCertificatePem());

        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var server = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        server.CertificateExtensions.Add(names.Build());
        server.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using X509Certificate2 serverCert = Sign(server, ca, 2);
        Write(ServerCert, serverCert.ExportCertificatePem());
        Write(ServerKey, serverKey.ExportPkcs8PrivateKeyPem());
        ServerPin = string.Join(':', System.Convert.ToHexString(SHA256.HashData(serverCert.RawData)).Chunk(2).Select(pair => new string(pair)));

        WriteClient(ClientCert, ClientKey, ca, 3);
        WriteClient(ForeignClientCert, ForeignClientKey, other, 4);
    }

    /// <summary>The folder holding the files.</summary>
    public string Folder { get; }

    /// <summary>The client certificate's common name.</summary>
    public string ClientName { get; }

    public string CaFile => Path.Combine(Folder, "ca.pem");

    /// <summary>A CA that signed neither certificate.</summary>
    public string OtherCaFile => Path.Combine(Folder, "other-ca.pem");

    public string ServerCert => Path.Combine(Folder, "server.pem");

    public string ServerKey => Path.Combine(Folder, "server.key");

    public string ClientCert => Path.Combine(Folder, "client.pem");

    public string ClientKey => Path.Combine(Folder, "client.key");

    /// <summary>A client certificate of the same name that the other CA signed.</summary>
    public string ForeignClientCert => Path.Combine(Folder, "foreign-client.pem");

    public string ForeignClientKey => Path.Combine(Folder, "foreign-client.key");

    /// <summary>The server certificate's SHA-256, as <c>openssl x509 -fingerprint -sha256</c> prints it.</summary>
    public string ServerPin { get; }

    private X509Certificate2 SelfSignedCa(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(_now.AddHours(-1), _now.AddDays(2));
    }

    private X509Certificate2 Sign(CertificateRequest request, X509Certificate2 ca, byte serial)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        return request.Create(ca, _now.AddHours(-1), _now.AddDays(1), [serial, (byte)Random.Shared.Next(256), 7, 9]);
    }

    /// <summary>A client certificate (CN = <see cref="ClientName"/>, client-auth use) that <paramref name="issuer"/> signed, and its key.</summary>
    private void WriteClient(string certPath, string keyPath, X509Certificate2 issuer, byte serial)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={ClientName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using X509Certificate2 certificate = Sign(request, issuer, serial);
        Write(certPath, certificate.ExportCertificatePem());
        Write(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static void Write(string path, string pem) => File.WriteAllText(path, pem + "\n");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}
