namespace EdgeLstm.Runtime.Sinks.Tls;

/// <summary>One TLS link's far end, for its messages: "the broker mqtt.plant:8883".</summary>
/// <param name="Role">Who the server is to the board: "broker" or "collector".</param>
/// <param name="Host">The host connected to.</param>
/// <param name="Port">The port connected to.</param>
/// <param name="Options">How the server is checked and the board identified.</param>
internal sealed record TlsLink(string Role, string Host, int Port, TlsClientOptions Options)
{
    /// <summary>The name the server's certificate must carry, and the SNI.</summary>
    public string ServerName => Options.ServerName ?? Host;

    public override string ToString() => $"the {Role} {(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
