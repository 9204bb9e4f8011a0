using System.Buffers.Binary;
using System.Security.Cryptography;

namespace EdgeLstm.Core.Signing;

/// <summary>
/// A signature as EdgeLstm stores it (a model file's trailer, a signed command's tail): 104 bytes, little-endian:
/// <c>"ESIG"</c>, algorithm (u16, 1 = ECDSA P-256 with SHA-256), reserved (u16, 0), the signing key's
/// <see cref="KeyId"/> (32 bytes), the signature as r ‖ s (64 bytes, IEEE P1363). Layout in docs/model-format.md.
/// </summary>
public sealed class SignatureBlock
{
    /// <summary>Size of the block in bytes.</summary>
    public const int Size = 104;

    /// <summary>Size of an ECDSA P-256 signature (r ‖ s).</summary>
    public const int SignatureSize = 64;

    /// <summary>The algorithm number for ECDSA P-256 over SHA-256.</summary>
    public const ushort EcdsaP256Sha256 = 1;

    /// <summary>The block's first four bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "ESIG"u8;

    private readonly byte[] _signature;

    private SignatureBlock(KeyId key, byte[] signature)
    {
        Key = key;
        _signature = signature;
    }

    /// <summary>The key that made the signature.</summary>
    public KeyId Key { get; }

    /// <summary>The 64-byte signature.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>Signs <paramref name="data"/> (SHA-256, then ECDSA) with a private key.</summary>
    public static SignatureBlock Sign(ReadOnlySpan<byte> data, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new SignatureBlock(KeyId.Of(key), key.SignData(data, HashAlgorithmName.SHA256));
    }

    /// <summary>Reads a block from exactly <see cref="Size"/> bytes; <paramref name="where"/> names them in errors.</summary>
    /// <exception cref="SignatureException">The bytes are not a signature block EdgeLstm reads.</exception>
    public static SignatureBlock Read(ReadOnlySpan<byte> block, string where)
    {
        if (block.Length != Size)
            throw new SignatureException($"{where}: a signature is {Size} bytes, but {block.Length} are there.");
        if (!block[..4].SequenceEqual(Magic))
            throw new SignatureException($"{where}: the signature does not start with \"ESIG\"; it is damaged or not a signature.");
        ushort algorithm = BinaryPrimitives.ReadUInt16LittleEndian(block[4..]);
        if (algorithm != EcdsaP256Sha256)
            throw new SignatureException($"{where}: signature algorithm {algorithm} is unknown; this EdgeLstm verifies algorithm {EcdsaP256Sha256} (ECDSA P-256, SHA-256).");
        ushort reserved = BinaryPrimitives.ReadUInt16LittleEndian(block[6..]);
        if (reserved != 0)
            throw new SignatureException($"{where}: the signature's reserved field (offset 6) is 0x{reserved:x4}, not 0.");
        return new SignatureBlock(KeyId.FromBytes(block.Slice(8, KeyId.Size)), block.Slice(8 + KeyId.Size, SignatureSize).ToArray());
    }

    /// <summary>Writes the block's <see cref="Size"/> bytes to <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size) throw new ArgumentException($"A signature block needs {Size} bytes.", nameof(destination));
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], EcdsaP256Sha256);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 0);
        Key.Bytes.CopyTo(destination[8..]);
        _signature.CopyTo(destination[(8 + KeyId.Size)..]);
    }
}
