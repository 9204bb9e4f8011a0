using System.Net.Sockets;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Sends framed frames to a TCP collector from a background thread. <see cref="Write"/> only copies the frame
/// into a bounded ring buffer, so a slow or absent collector never stalls sampling. While disconnected the
/// sender reconnects with exponential backoff and resends the Hello frame first; when the buffer is full the
/// oldest frames are dropped and counted (reported in Health).
/// </summary>
internal sealed class TcpSink : FrameSink
{
    private const int MaxQueuedFrames = 16 * 1024;
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly string _host;
    private readonly int _port;
    private readonly TextWriter _log;
    private readonly object _lock = new();
    private readonly byte[] _ring;
    private readonly int[] _frameLengths = new int[MaxQueuedFrames];
    private readonly byte[] _sendBuffer;
    private readonly Thread _thread;
    private readonly AutoResetEvent _wake = new(false);
    private readonly ManualResetEventSlim _stop = new(false);
    private byte[] _hello = [];
    private int _start, _bytes;            // ring: first byte, bytes queued
    private int _firstFrame, _frames;      // frame-length queue
    private long _drops;
    private volatile bool _stopping;
    private volatile bool _connected;

    /// <summary>Starts the sender thread; the first connection attempt happens at once.</summary>
    public TcpSink(string host, int port, int bufferBytes, TextWriter log)
    {
        _host = host;
        _port = port;
        _log = log;
        _ring = new byte[bufferBytes];
        _sendBuffer = new byte[Math.Min(bufferBytes, 64 * 1024)];
        _thread = new Thread(SendLoop) { IsBackground = true, Name = $"edgelstm tcp {host}:{port}" };
        _thread.Start();
    }

    public override string Name => $"tcp {_host}:{_port}";

    public override FrameForm Form => FrameForm.Stream;

    /// <summary>True while a collector connection is open.</summary>
    public bool IsConnected => _connected;

    public override int QueueDepth
    {
        get { lock (_lock) return _frames; }
    }

    public override long Drops => Interlocked.Read(ref _drops);

    public override void Write(in OutgoingFrame frame)
    {
        ReadOnlySpan<byte> bytes = frame.Stream;
        if (frame.Type == EdgeLstm.Protocol.FrameType.Hello)
        {
            // Kept to open every new connection; Hello is rare, so this copy is fine.
            _hello = bytes.ToArray();
            if (!_connected) return; // the sender sends it on connect
        }
        if (bytes.Length > _ring.Length)
        {
            Interlocked.Increment(ref _drops);
            return;
        }
        lock (_lock)
        {
            while (_ring.Length - _bytes < bytes.Length || _frames == MaxQueuedFrames)
                DropOldest();
            int end = (_start + _bytes) % _ring.Length;
            int first = Math.Min(bytes.Length, _ring.Length - end);
            bytes[..first].CopyTo(_ring.AsSpan(end));
            bytes[first..].CopyTo(_ring);
            _bytes += bytes.Length;
            _frameLengths[(_firstFrame + _frames) % MaxQueuedFrames] = bytes.Length;
            _frames++;
        }
        _wake.Set();
    }

    public override void Flush()
    {
        // Give a connected sender a moment to drain what is queued.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (_connected && QueueDepth > 0 && DateTime.UtcNow < deadline)
        {
            _wake.Set();
            Thread.Sleep(10);
        }
    }

    private void DropOldest()
    {
        RemoveOldest();
        Interlocked.Increment(ref _drops);
    }

    /// <summary>Dequeues the oldest frame (caller holds the lock) and returns its length.</summary>
    private int RemoveOldest()
    {
        int length = _frameLengths[_firstFrame];
        _firstFrame = (_firstFrame + 1) % MaxQueuedFrames;
        _frames--;
        _start = (_start + length) % _ring.Length;
        _bytes -= length;
        return length;
    }

    private void SendLoop()
    {
        TimeSpan backoff = MinBackoff;
        bool reportedDown = false;
        while (!_stopping)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Connect(_host, _port);
                socket.Send(_hello);
                _connected = true;
                backoff = MinBackoff;
                _log.WriteLine($"edgelstm: connected to collector {_host}:{_port}");
                reportedDown = false;
                while (!_stopping || QueueDepth > 0)
                {
                    int count = TakeFrames(out int frames);
                    if (count == 0)
                    {
                        if (_stopping) break;
                        _wake.WaitOne(TimeSpan.FromMilliseconds(200));
                        continue;
                    }
                    try
                    {
                        socket.Send(_sendBuffer.AsSpan(0, count));
                    }
                    catch (SocketException)
                    {
                        // Frames already taken from the queue are lost with the connection; count them.
                        Interlocked.Add(ref _drops, frames);
                        throw;
                    }
                }
                return;
            }
            catch (SocketException e)
            {
                _connected = false;
                if (!reportedDown)
                {
                    _log.WriteLine($"edgelstm: collector {_host}:{_port} unreachable ({e.SocketErrorCode}); queueing frames and retrying with backoff");
                    reportedDown = true;
                }
            }
            if (_stopping) return;
            // Only shutdown cuts a backoff short: new frames must not turn it into a tight reconnect loop.
            _stop.Wait(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    /// <summary>Moves whole queued frames (as many as fit) into the send buffer.</summary>
    private int TakeFrames(out int frames)
    {
        lock (_lock)
        {
            int count = 0;
            frames = 0;
            while (_frames > 0)
            {
                int length = _frameLengths[_firstFrame];
                if (count + length > _sendBuffer.Length) break;
                int first = Math.Min(length, _ring.Length - _start);
                _ring.AsSpan(_start, first).CopyTo(_sendBuffer.AsSpan(count));
                _ring.AsSpan(0, length - first).CopyTo(_sendBuffer.AsSpan(count + first));
                count += RemoveOldest();
                frames++;
            }
            return count;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping = true;
            _stop.Set();
            _wake.Set();
            _thread.Join(TimeSpan.FromSeconds(3));
            _wake.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
