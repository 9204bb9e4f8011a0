namespace EdgeLstm.Runtime.Sinks.Tls;

/// <summary>
/// How a board's link proves who the server is and, optionally, who the board is. Without <see cref="CaFile"/> and
/// <see cref="PinSha256"/> the server's certificate is checked against the system's trust store.
/// </summary>
/// <param name="CaFile">PEM certificates of the CAs the server's certificate must chain to (with its name checked), or null.</param>
/// <param name="PinSha256">The SHA-256 of the server's own certificate (DER) it must present, or null.</param>
/// <param name="CertFile">The board's client certificate chain (PEM), or null for none.</param>
/// <param name="KeyFile">The client certificate's private key (PEM); given exactly when <paramref name="CertFile"/> is.</param>
/// <param name="ServerName">The name the server's certificate must carry and the SNI sent; null: the host connected to.</param>
internal sealed record TlsClientOptions(string? CaFile, byte[]? PinSha256, string? CertFile, string? KeyFile, string? ServerName)
{
    /// <summary>The length of a SHA-256 fingerprint in bytes.</summary>
    public const int PinLength = 32;

    /// <summary>
    /// Parses a fingerprint as <c>openssl x509 -fingerprint -sha256</c> prints it (<c>AB:CD:…</c>) or as plain hex,
    /// optionally prefixed <c>sha256:</c>; false when it is not 32 bytes of hex.
    /// </summary>
    public static bool TryParsePin(string? text, out byte[] pin)
    {
        pin = [];
        if (text is null) return false;
        string hex = text.Trim();
        if (hex.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)) hex = hex["sha256:".Length..];
        hex = hex.Replace(":", "", StringComparison.Ordinal);
        if (hex.Length != 2 * PinLength || !hex.All(Uri.IsHexDigit)) return false;
        pin = Convert.FromHexString(hex);
        return true;
    }

    /// <summary>A fingerprint as <c>openssl x509 -fingerprint -sha256</c> prints it.</summary>
    public static string FormatPin(ReadOnlySpan<byte> pin) => string.Join(':', Convert.ToHexString(pin).Chunk(2).Select(pair => new string(pair)));
}
