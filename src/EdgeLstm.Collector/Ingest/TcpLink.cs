using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Ingest;

/// <summary>
/// One board connection: decodes the stream as untrusted input, batches frames, commits each batch and only then
/// answers with one Ack naming the latest frame of the batch in link order, with the session of the latest Hello
/// seen on the link (docs/protocol.md, Acknowledgement). A failed commit closes the link without an Ack. The link is
/// a stream: the socket's own, or TLS over it (<see cref="TcpTls"/>).
/// </summary>
internal sealed class TcpLink
{
    private readonly Stream _stream;
    private readonly IFrameStore _store;
    private readonly TcpIngestOptions _options;
    private readonly IngestCounters _counters;
    private readonly TextWriter _log;
    private readonly string _peer;
    private readonly StreamFrameDecoder _decoder = new();
    private readonly StreamFrameEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _ack = new(32);
    private readonly List<ReceivedFrame> _batch = [];
    private readonly List<DecodeResult> _beforeHello = [];
    private string? _device;
    private ulong _session;
    private long _batchStarted;
    private long _lastGoodFrameEnd;
    private bool _reportedError;

    /// <summary>Serves <paramref name="stream"/> (a board's connection from <paramref name="peer"/>, owned from now on) until it closes or <see cref="Run"/>'s token stops it.</summary>
    public TcpLink(Stream stream, string peer, IFrameStore store, TcpIngestOptions options, IngestCounters counters, TextWriter log)
    {
        _stream = stream;
        _store = store;
        _options = options;
        _counters = counters;
        _log = log;
        _peer = peer;
    }

    /// <summary>Reads, commits and acknowledges until the peer closes, the link fails or <paramref name="stop"/> is set; then commits what is in flight.</summary>
    public void Run(CancellationToken stop)
    {
        byte[] buffer = new byte[16 * 1024];
        // One read outstanding at a time, waited for at most until the batch is due: a TLS stream may hold decrypted
        // bytes the socket no longer shows, so readiness is the read's own completion, not the socket's.
        Task<int>? pending = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int waitMs = _batch.Count == 0 ? 100 : Math.Max(0, (int)(_options.MaxBatchDelay.TotalMilliseconds - Elapsed(_batchStarted)));
                pending ??= _stream.ReadAsync(buffer, 0, buffer.Length, CancellationToken.None);
                if (Completed(pending, waitMs))
                {
                    int received = pending.Result;
                    pending = null;
                    if (received == 0) break; // the board closed: what arrived is still committed below
                    if (!Feed(buffer.AsSpan(0, received))) break;
                }
                if (_batch.Count >= _options.MaxBatchFrames || (_batch.Count > 0 && Elapsed(_batchStarted) >= _options.MaxBatchDelay.TotalMilliseconds))
                {
                    if (!Flush()) return;
                }
            }
            Flush();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The link failed: nothing uncommitted was acknowledged, and the board resends it.
            _counters.AddDropped(_batch.Count + _beforeHello.Count);
        }
        finally
        {
            if (_beforeHello.Count > 0)
            {
                _log.WriteLine($"edgelstm-collector: {_peer}: {_beforeHello.Count} frames arrived before any Hello and were not stored (never acknowledged: the board resends them)");
                _counters.AddDropped(_beforeHello.Count);
            }
            _stream.Dispose();
        }
    }

    /// <summary>Waits up to <paramref name="waitMs"/> for the read; a failed read throws its own exception.</summary>
    private static bool Completed(Task<int> read, int waitMs)
    {
        try
        {
            return read.Wait(waitMs);
        }
        catch (AggregateException e) when (e.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }
    }

    private static double Elapsed(long since) => Stopwatch.GetElapsedTime(since).TotalMilliseconds;

    /// <summary>Decodes what arrived; false when the link is to be closed.</summary>
    private bool Feed(ReadOnlySpan<byte> input)
    {
        while (!input.IsEmpty && _decoder.TryDecodeNext(input, out int consumed, out DecodeResult result))
        {
            input = input[consumed..];
            Take(result);
        }
        long garbage = _decoder.Position - _lastGoodFrameEnd;
        if (garbage > _options.MaxGarbageBytes)
        {
            _log.WriteLine($"edgelstm-collector: {_peer}: {garbage} bytes without a good frame; closing the connection");
            Flush();
            return false;
        }
        if (_beforeHello.Count > _options.MaxFramesBeforeHello)
        {
            _log.WriteLine($"edgelstm-collector: {_peer}: {_beforeHello.Count} frames and no Hello to name their device; closing the connection");
            return false;
        }
        return true;
    }

    private void Take(in DecodeResult result)
    {
        if (result.Status == DecodeStatus.Malformed)
        {
            _counters.AddDecodeError();
            if (!_reportedError)
            {
                // Once per connection: a noisy link must not flood the log.
                _log.WriteLine($"edgelstm-collector: {_peer}: {result.Error} (further errors on this connection are counted, not logged)");
                _reportedError = true;
            }
            return;
        }
        if (!result.IsFrame || !FrameSequence.IsStored(result.FrameType))
        {
            _counters.AddSkipped();
            _lastGoodFrameEnd = _decoder.Position;
            return;
        }
        _lastGoodFrameEnd = _decoder.Position;
        if (result.FrameType == FrameType.Hello)
        {
            _device = result.Hello.DeviceId;
            _session = result.Hello.SessionId;
            // Frames held for want of a device belong to the board whose Hello opened the link.
            foreach (DecodeResult held in _beforeHello) Add(new ReceivedFrame(_device, _session, held));
            _beforeHello.Clear();
        }
        if (_device is null)
        {
            _beforeHello.Add(result);
            return;
        }
        Add(new ReceivedFrame(_device, _session, result));
    }

    private void Add(in ReceivedFrame frame)
    {
        if (_batch.Count == 0) _batchStarted = Stopwatch.GetTimestamp();
        _batch.Add(frame);
    }

    /// <summary>Commits the batch, then acknowledges it; false (link to close) when the commit failed.</summary>
    private bool Flush()
    {
        if (_batch.Count == 0) return true;
        if (!BatchCommit.TryCommit(_store, _batch, _counters, out string failure))
        {
            // No Ack: the board resends.
            _log.WriteLine($"edgelstm-collector: {_peer}: {failure}; closing the connection unacknowledged");
            _batch.Clear();
            _stream.Dispose();
            return false;
        }
        ulong latest = FrameSequence.Of(_batch[^1].Frame);
        _batch.Clear();
        _ack.ResetWrittenCount();
        _encoder.Write(new AckFrame { HighestSequence = latest, SessionId = _session }, _ack);
        _stream.Write(_ack.WrittenSpan);
        _counters.AddAck();
        return true;
    }
}
