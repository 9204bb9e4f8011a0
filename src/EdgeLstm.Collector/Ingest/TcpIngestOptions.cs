using System.Net;

namespace EdgeLstm.Collector.Ingest;

/// <summary>Where the TCP ingest listens, whether it speaks TLS, and how it batches.</summary>
/// <param name="Endpoint">The address to bind; port 0 picks a free one.</param>
internal sealed record TcpIngestOptions(IPEndPoint Endpoint)
{
    /// <summary>TLS for every board's connection, or null for plain TCP.</summary>
    public TcpTls? Tls { get; init; }

    /// <summary>A batch is committed when it holds this many frames…</summary>
    public int MaxBatchFrames { get; init; } = 500;

    /// <summary>…or this long after its first frame arrived.</summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Frames a link may send before its first Hello (which names the device) are held up to this count; more, and
    /// the link is closed unacknowledged (the board resends them behind a Hello).
    /// </summary>
    public int MaxFramesBeforeHello { get; init; } = 4096;

    /// <summary>A link that sends this many bytes without one good frame is closed.</summary>
    public long MaxGarbageBytes { get; init; } = 256 * 1024;
}
