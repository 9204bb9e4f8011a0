using System.Security.Cryptography;

namespace EdgeLstm.Core.Signing;

/// <summary>
/// Names a public key: the SHA-256 of its DER SubjectPublicKeyInfo, the same bytes
/// <c>openssl pkey -pubin -in public.pem -outform DER | sha256sum</c> hashes, so an operator can check it anywhere.
/// </summary>
public readonly record struct KeyId
{
    /// <summary>Size of a key id in bytes.</summary>
    public const int Size = 32;

    private readonly byte[] _bytes;

    private KeyId(byte[] bytes) => _bytes = bytes;

    /// <summary>The id's 32 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The id of <paramref name="key"/>'s public part.</summary>
    public static KeyId Of(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new KeyId(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>An id read from a signature (32 bytes, copied).</summary>
    public static KeyId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) throw new ArgumentException($"A key id is {Size} bytes, not {bytes.Length}.", nameof(bytes));
        return new KeyId(bytes.ToArray());
    }

    /// <summary>Whether two ids name the same key.</summary>
    public bool Equals(KeyId other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_bytes ?? new byte[4], 0);

    /// <summary>The id as 64 lowercase hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(_bytes ?? []);
}
