using System.Security.Cryptography;

namespace EdgeLstm.Core.Signing;

/// <summary>
/// The public keys a board trusts to sign its models and commands, pinned in its config (<c>trust.modelKeys</c>)
/// or given with <c>--trusted-key</c>. Several, so keys rotate: sign with the new key once every board pins both.
/// </summary>
public sealed class TrustedKeys : IDisposable
{
    private readonly List<(KeyId Id, ECDsa Key, string Source)> _keys = [];

    /// <summary>Whether no key is pinned (then nothing is verified and unsigned models run).</summary>
    public bool IsEmpty => _keys.Count == 0;

    /// <summary>The pinned keys' ids.</summary>
    public IEnumerable<KeyId> Ids => _keys.Select(k => k.Id);

    /// <summary>Loads the public keys in <paramref name="paths"/>.</summary>
    /// <exception cref="SignatureException">A file is not a P-256 public key; the message names it.</exception>
    public static TrustedKeys Load(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var keys = new TrustedKeys();
        try
        {
            foreach (string path in paths) keys.Add(SigningKeys.LoadPublic(path), path);
            return keys;
        }
        catch
        {
            keys.Dispose();
            throw;
        }
    }

    /// <summary>Pins <paramref name="key"/> (taking ownership); <paramref name="source"/> names it in messages.</summary>
    public void Add(ECDsa key, string source)
    {
        ArgumentNullException.ThrowIfNull(key);
        KeyId id = KeyId.Of(key);
        if (_keys.Any(k => k.Id.Equals(id)))
        {
            key.Dispose();
            return;
        }
        _keys.Add((id, key, source));
    }

    /// <summary>
    /// Checks that <paramref name="signature"/> is a signature over <paramref name="data"/> by a pinned key.
    /// </summary>
    /// <param name="data">The signed bytes.</param>
    /// <param name="signature">The signature read with them.</param>
    /// <param name="what">What was signed, for messages ("the model", "the command").</param>
    /// <exception cref="SignatureException">The key is not pinned or the signature does not match.</exception>
    public void Verify(ReadOnlySpan<byte> data, SignatureBlock signature, string what)
    {
        ArgumentNullException.ThrowIfNull(signature);
        foreach ((KeyId id, ECDsa key, string source) in _keys)
        {
            if (!id.Equals(signature.Key)) continue;
            if (key.VerifyData(data, signature.Signature, HashAlgorithmName.SHA256)) return;
            throw new SignatureException($"{what} is signed with key {id} ({source}) but the signature does not match its bytes: it was changed after signing, or the signature is damaged.");
        }
        throw new SignatureException($"{what} is signed with key {signature.Key}, which this board does not trust (pinned: {Describe()}).");
    }

    /// <summary>The pinned keys, for messages: "id (source), …".</summary>
    public string Describe() => IsEmpty ? "none" : string.Join(", ", _keys.Select(k => $"{k.Id} ({k.Source})"));

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach ((_, ECDsa key, _) in _keys) key.Dispose();
        _keys.Clear();
    }
}
