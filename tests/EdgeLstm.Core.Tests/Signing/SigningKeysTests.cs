using System.Security.Cryptography;
using EdgeLstm.Core.Signing;

namespace EdgeLstm.Core.Tests.Signing;

public sealed class SigningKeysTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgelstm-keys-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_key_pair_round_trips_through_pem_with_the_same_id()
    {
        using ECDsa key = SigningKeys.Generate();
        using ECDsa publicKey = SigningKeys.LoadPublic(Write("public.pem", SigningKeys.PublicPem(key)));
        using ECDsa privateKey = SigningKeys.LoadPrivate(Write("private.pem", SigningKeys.PrivatePem(key)));
        Assert.Equal(KeyId.Of(key), KeyId.Of(publicKey));
        Assert.Equal(KeyId.Of(key), KeyId.Of(privateKey));
        Assert.Equal(64, KeyId.Of(key).ToString().Length);
    }

    [Fact]
    public void A_private_key_given_as_a_trusted_key_is_refused_with_a_hint()
    {
        using ECDsa key = SigningKeys.Generate();
        string path = Write("private.pem", SigningKeys.PrivatePem(key));
        SignatureException e = Assert.Throws<SignatureException>(() => SigningKeys.LoadPublic(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("a board never holds the private key", e.Message);
    }

    [Fact]
    public void A_public_key_given_to_sign_with_is_refused()
    {
        using ECDsa key = SigningKeys.Generate();
        Assert.Contains("signing needs the private key", Assert.Throws<SignatureException>(() => SigningKeys.LoadPrivate(Write("public.pem", SigningKeys.PublicPem(key)))).Message);
    }

    [Fact]
    public void A_key_on_another_curve_is_refused()
    {
        using ECDsa p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Contains("P-256 only", Assert.Throws<SignatureException>(() => SigningKeys.LoadPublic(Write("p384.pem", p384.ExportSubjectPublicKeyInfoPem()))).Message);
    }

    [Fact]
    public void An_rsa_key_is_refused()
    {
        using RSA rsa = RSA.Create(2048);
        Assert.Contains("not a usable P-256 PUBLIC KEY", Assert.Throws<SignatureException>(() => SigningKeys.LoadPublic(Write("rsa.pem", rsa.ExportSubjectPublicKeyInfoPem()))).Message);
    }

    [Theory]
    [InlineData("", "no PEM key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n", "not a usable")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "not a usable")]
    public void A_damaged_key_file_is_refused_naming_it(string text, string expected)
    {
        string path = Write("bad.pem", text);
        SignatureException e = Assert.Throws<SignatureException>(() => SigningKeys.LoadPublic(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void A_missing_or_oversized_key_file_is_refused()
    {
        Assert.Contains("no such key file", Assert.Throws<SignatureException>(() => SigningKeys.LoadPublic(Path.Combine(_folder, "absent.pem"))).Message);
        Assert.Contains("too large", Assert.Throws<SignatureException>(() => SigningKeys.LoadPublic(Write("big.pem", new string('A', SigningKeys.MaxPemLength + 1)))).Message);
    }
}
