using EdgeLstm.Runtime.Sinks.Tls;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// A sink's <c>tls</c> object (mqtt sinks with <c>mqtts://</c>, tcp sinks): how the board checks the server's certificate
/// and, optionally, proves who it is. Paths are relative to the board file. Without <see cref="CaFile"/> and
/// <see cref="PinSha256"/> the server's certificate is checked against the system's trusted CAs.
/// </summary>
public sealed class SinkTlsConfig
{
    /// <summary>Gets the PEM file of the CAs the server's certificate must be signed by (its name is checked too).</summary>
    public string? CaFile { get; set; }

    /// <summary>Gets the SHA-256 fingerprint of the server's certificate (<c>openssl x509 -noout -fingerprint -sha256</c>); only that certificate is accepted.</summary>
    public string? PinSha256 { get; set; }

    /// <summary>Gets the board's client certificate (PEM, the chain after it) for servers that ask for one.</summary>
    public string? CertFile { get; set; }

    /// <summary>Gets the client certificate's private key (PEM, unencrypted; keep it mode 0600).</summary>
    public string? KeyFile { get; set; }

    /// <summary>Gets the name the server's certificate must carry and the SNI sent (default: the host connected to).</summary>
    public string? ServerName { get; set; }

    /// <summary>Checks the fields; <paramref name="path"/> is the object's JSON path, e.g. <c>$.sinks[0].tls</c>.</summary>
    internal void Validate(string path, List<ConfigProblem> problems)
    {
        if (PinSha256 is not null && !TlsClientOptions.TryParsePin(PinSha256, out _))
            problems.Add(new ConfigProblem($"{path}.pinSha256", $"'{PinSha256}' is not a SHA-256 fingerprint (32 bytes in hex).", "Use the output of openssl x509 -in server.pem -noout -fingerprint -sha256."));
        if ((CertFile is null) != (KeyFile is null))
            problems.Add(new ConfigProblem(path, "a client certificate needs both certFile and keyFile.", "Give both, or neither."));
        foreach ((string name, string? value) in (ReadOnlySpan<(string, string?)>)[("caFile", CaFile), ("certFile", CertFile), ("keyFile", KeyFile), ("serverName", ServerName)])
        {
            if (value is not null && (value.Length == 0 || value.Any(char.IsControl)))
                problems.Add(new ConfigProblem($"{path}.{name}", $"{name} must not be empty or hold control characters.", "Leave it out, or give a path or name."));
        }
    }

    /// <summary>The options with paths made absolute against <paramref name="baseDirectory"/> (call after <see cref="Validate"/> found no problem).</summary>
    internal TlsClientOptions Options(string baseDirectory)
    {
        string? Full(string? relative) => relative is null ? null : Path.GetFullPath(relative, baseDirectory);
        byte[]? pin = TlsClientOptions.TryParsePin(PinSha256, out byte[] parsed) ? parsed : null;
        return new TlsClientOptions(Full(CaFile), pin, Full(CertFile), Full(KeyFile), ServerName);
    }
}
