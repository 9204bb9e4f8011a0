using System.Buffers.Binary;
using System.Security.Cryptography;
using CsCheck;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using EdgeLstm.Core.Signing;

namespace EdgeLstm.Core.Tests.Signing;

public sealed class ModelSignatureTests : IDisposable
{
    private readonly ECDsa _key = SigningKeys.Generate();
    private readonly ECDsa _otherKey = SigningKeys.Generate();
    private readonly TrustedKeys _trusted = new();
    private readonly byte[] _model = ModelFile.ToBytes(RandomModels.Create(new ModelSpec(RecurrentKind.Lstm, HiddenSizes: [6], DenseSizes: [3]), 7).Quantize());

    public ModelSignatureTests() => _trusted.Add(SigningKeys.ParsePublic(SigningKeys.PublicPem(_key), "public.pem"), "public.pem");

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
        _trusted.Dispose();
    }

    [Fact]
    public void A_signed_model_loads_verifies_and_keeps_its_predictions()
    {
        byte[] signed = ModelSignature.Sign(_model, _key);
        Assert.Equal(_model.Length + SignatureBlock.Size, signed.Length);
        ModelSignature.Verify(signed, _trusted);
        Assert.Equal(KeyId.Of(_key), ModelSignature.Read(signed)!.Key);
        Assert.Null(ModelSignature.Read(_model));
        RecurrentModel model = ModelFile.Load(signed);
        Assert.Equal(ModelFile.Load(_model).Layers.Count, model.Layers.Count);
    }

    [Fact]
    public void The_model_id_hashes_header_and_payload_so_signing_again_keeps_it()
    {
        byte[] once = ModelSignature.Sign(_model, _key);
        byte[] again = ModelSignature.Sign(once, _otherKey);
        Assert.Equal(ModelFile.ComputeModelId(once), ModelFile.ComputeModelId(again));
        Assert.Equal(KeyId.Of(_otherKey), ModelSignature.Read(again)!.Key);
        Assert.Equal(once.Length, again.Length);
        Assert.Equal(ModelFile.ComputeModelId(_model), Convert.ToHexStringLower(BitConverter.GetBytes(System.IO.Hashing.XxHash3.HashToUInt64(_model)).Reverse().ToArray()));
    }

    [Fact]
    public void With_no_key_pinned_anything_readable_passes()
    {
        using var none = new TrustedKeys();
        ModelSignature.Verify(_model, none);
        ModelSignature.Verify(ModelSignature.Sign(_model, _otherKey), none);
    }

    [Fact]
    public void An_unsigned_model_is_refused_when_keys_are_pinned()
    {
        SignatureException e = Assert.Throws<SignatureException>(() => ModelSignature.Verify(_model, _trusted));
        Assert.Contains("not signed", e.Message);
        Assert.Contains(KeyId.Of(_key).ToString(), e.Message);
    }

    [Fact]
    public void A_model_signed_by_another_key_is_refused_naming_that_key()
    {
        SignatureException e = Assert.Throws<SignatureException>(() => ModelSignature.Verify(ModelSignature.Sign(_model, _otherKey), _trusted));
        Assert.Contains($"signed with key {KeyId.Of(_otherKey)}, which this board does not trust", e.Message);
    }

    [Fact]
    public void A_changed_payload_byte_is_refused_as_changed_after_signing()
    {
        byte[] signed = ModelSignature.Sign(_model, _key);
        signed[ModelFile.HeaderSize + 30] ^= 0x01;
        Assert.Contains("changed after signing", Assert.Throws<SignatureException>(() => ModelSignature.Verify(signed, _trusted)).Message);
    }

    [Fact]
    public void A_cleared_signed_flag_is_refused_as_unsigned_and_as_a_model()
    {
        byte[] signed = ModelSignature.Sign(_model, _key);
        signed[10] &= 0xfe;
        Assert.Contains("not signed", Assert.Throws<SignatureException>(() => ModelSignature.Verify(signed, _trusted)).Message);
        Assert.Contains("the flag was altered", Assert.Throws<InvalidModelException>(() => ModelFile.Load(signed)).Message);
    }

    [Fact]
    public void A_truncated_signature_is_refused()
    {
        byte[] signed = ModelSignature.Sign(_model, _key)[..^10];
        Assert.Contains("says the file is signed", Assert.Throws<SignatureException>(() => ModelSignature.Verify(signed, _trusted)).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidModelException>(() => ModelFile.Load(signed)).Message);
    }

    [Fact]
    public void An_unknown_signature_algorithm_is_refused()
    {
        byte[] signed = ModelSignature.Sign(_model, _key);
        BinaryPrimitives.WriteUInt16LittleEndian(signed.AsSpan(_model.Length + 4), 2);
        Assert.Contains("algorithm 2 is unknown", Assert.Throws<SignatureException>(() => ModelSignature.Verify(signed, _trusted)).Message);
    }

    [Fact]
    public void Signing_refuses_bytes_that_are_not_a_model()
    {
        Assert.Throws<InvalidModelException>(() => ModelSignature.Sign(_model.AsSpan(0, _model.Length - 1), _key));
    }

    /// <summary>The tamper property: any one byte changed anywhere in a signed file, to any other value, is refused by the signature check alone.</summary>
    [Fact]
    public void Any_single_changed_byte_anywhere_in_a_signed_file_is_refused()
    {
        byte[] signed = ModelSignature.Sign(_model, _key);
        int refused = 0;
        Gen.Select(Gen.Int[0, signed.Length - 1], Gen.Byte[1, 255]).Sample((position, mask) =>
        {
            byte[] tampered = (byte[])signed.Clone();
            tampered[position] ^= mask;
            Assert.Throws<SignatureException>(() => ModelSignature.Verify(tampered, _trusted));
            Interlocked.Increment(ref refused);
        }, iter: 10_000, threads: 1);
        Assert.Equal(10_000, refused);
    }
}

/// <summary>The signed example of docs/model-format.md: the demo model signed with a key whose private half was thrown away.</summary>
public sealed class GoldenSignedModelTests
{
    private static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "Signing", "Golden", name);

    [Fact]
    public void The_documented_signed_example_verifies_with_its_public_key_and_shows_its_trailer()
    {
        byte[] file = File.ReadAllBytes(Golden("demo-model.signed.elstm"));
        using TrustedKeys trusted = TrustedKeys.Load([Golden("golden-public.pem")]);
        ModelSignature.Verify(file, trusted);
        SignatureBlock block = ModelSignature.Read(file)!;
        Assert.Equal("fd504fca100f4624a368a3edfc26dd7ebc386a9ddf3060460090b79bca2300bc", block.Key.ToString());
        Assert.Equal("95742672bdb7b617", ModelFile.ComputeModelId(file));
        Assert.Equal("4553494701000000fd504fca", Convert.ToHexStringLower(file.AsSpan(file.Length - SignatureBlock.Size, 12)));
        Assert.Equal(ModelFile.SignedFlag, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(10)));
    }
}
