using System.Security.Cryptography;

namespace EdgeLstm.Core.Signing;

/// <summary>
/// A message signed as a whole: its body followed by a <see cref="SignatureBlock"/> over the body (remote update
/// commands, docs/protocol.md § Commands). Opening checks the signature before anything reads the body.
/// </summary>
public static class SignedMessage
{
    /// <summary>The body followed by its signature with <paramref name="key"/>.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> body, ECDsa key)
    {
        var message = new byte[body.Length + SignatureBlock.Size];
        body.CopyTo(message);
        SignatureBlock.Sign(body, key).Write(message.AsSpan(body.Length));
        return message;
    }

    /// <summary>The body of a message signed by a key in <paramref name="trusted"/>; <paramref name="what"/> names it in errors.</summary>
    /// <exception cref="SignatureException">No key is pinned, the message is too short to hold a signature, or the signature is not a pinned key's over these bytes.</exception>
    public static ReadOnlyMemory<byte> Open(ReadOnlyMemory<byte> message, TrustedKeys trusted, string what)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        if (trusted.IsEmpty)
            throw new SignatureException($"{what} cannot be checked: this board pins no key (trust.modelKeys), so it accepts no remote update.");
        if (message.Length < SignatureBlock.Size + 1)
            throw new SignatureException($"{what} is {message.Length} bytes, too short to hold a body and its {SignatureBlock.Size}-byte signature.");
        int bodyLength = message.Length - SignatureBlock.Size;
        SignatureBlock signature = SignatureBlock.Read(message.Span[bodyLength..], $"{what}'s signature");
        trusted.Verify(message.Span[..bodyLength], signature, what);
        return message[..bodyLength];
    }
}
