using System.Buffers;
using System.Net;
using System.Net.Sockets;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Tests.Sinks;

/// <summary>How a <see cref="AckingCollector"/> treats its connections.</summary>
internal enum CollectorBehaviour
{
    /// <summary>Reads every frame, keeps it and acknowledges it.</summary>
    Acknowledge,

    /// <summary>Accepts connections and never reads from them.</summary>
    NeverRead,

    /// <summary>Reads frames but never acknowledges.</summary>
    NeverAcknowledge,

    /// <summary>Resets each connection after reading part of a frame.</summary>
    ResetMidFrame,
}

/// <summary>
/// A collector for tests, on loopback: accepts board connections, decodes the stream as untrusted input, keeps one
/// copy of each frame by sequence (counting duplicates) and answers each read with an Ack of the latest frame in
/// it — what a real collector does after committing. Its behaviour can be switched to the faults a board must survive.
/// </summary>
internal sealed class AckingCollector : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<ulong, (FrameType Type, FrameFlags Flags)> _frames = [];
    private readonly List<HelloFrame> _hellos = [];
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Thread? _acceptor;
    private long _duplicates;
    private long _connections;
    private long _errors;

    /// <summary>Listens on a free loopback port.</summary>
    public AckingCollector(CollectorBehaviour behaviour = CollectorBehaviour.Acknowledge)
    {
        Behaviour = behaviour;
        Start(0);
    }

    /// <summary>The port it listens (or listened) on.</summary>
    public int Port { get; private set; }

    /// <summary>What it does with connections from now on.</summary>
    public CollectorBehaviour Behaviour { get; set; }

    /// <summary>Connections accepted.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Frames received again after they had arrived once.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Frames that failed to decode.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The last decoding error, in words (empty when there was none).</summary>
    public string LastError { get; private set; } = "";

    /// <summary>Distinct sequences received so far.</summary>
    public int Count
    {
        get { lock (_lock) return _frames.Count; }
    }

    /// <summary>A copy of every distinct frame received: sequence → type and flags.</summary>
    public SortedDictionary<ulong, (FrameType Type, FrameFlags Flags)> Frames()
    {
        lock (_lock) return new(_frames);
    }

    /// <summary>Every Hello received, duplicates included.</summary>
    public List<HelloFrame> Hellos()
    {
        lock (_lock) return [.. _hellos];
    }

    /// <summary>Stops listening and drops every connection (the collector goes down).</summary>
    public void GoDown()
    {
        _listener?.Stop();
        lock (_lock)
        {
            foreach (Socket socket in _open) socket.Dispose();
            _open.Clear();
        }
        _acceptor?.Join(TimeSpan.FromSeconds(5));
    }

    /// <summary>Listens again on the same port.</summary>
    public void ComeUp() => Start(Port);

    /// <summary>Waits until <paramref name="condition"/> holds; false when <paramref name="timeout"/> passed first.</summary>
    public bool WaitUntil(Func<AckingCollector, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(10);
        }
        return true;
    }

    private void Start(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _acceptor = new Thread(() => Accept(listener)) { IsBackground = true, Name = "test collector accept" };
        _acceptor.Start();
    }

    private void Accept(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            Interlocked.Increment(ref _connections);
            lock (_lock) _open.Add(socket);
            new Thread(() => Serve(socket)) { IsBackground = true, Name = "test collector connection" }.Start();
        }
    }

    private void Serve(Socket socket)
    {
        var decoder = new StreamFrameDecoder();
        var ack = new ArrayBufferWriter<byte>();
        var encoder = new StreamFrameEncoder();
        byte[] buffer = new byte[16 * 1024];
        ulong session = 0;
        try
        {
            if (Behaviour == CollectorBehaviour.NeverRead)
            {
                _stop.Token.WaitHandle.WaitOne();
                return;
            }
            while (true)
            {
                int received = socket.Receive(buffer);
                if (received == 0) return;
                if (Behaviour == CollectorBehaviour.ResetMidFrame)
                {
                    socket.LingerState = new LingerOption(true, 0); // close with RST
                    return;
                }
                ReadOnlySpan<byte> input = buffer.AsSpan(0, received);
                ulong? latest = null;
                while (!input.IsEmpty && decoder.TryDecodeNext(input, out int consumed, out DecodeResult result))
                {
                    input = input[consumed..];
                    if (!result.IsFrame)
                    {
                        LastError = result.ToString();
                        Interlocked.Increment(ref _errors);
                        continue;
                    }
                    (ulong sequence, FrameFlags flags) = result.FrameType switch
                    {
                        FrameType.Hello => (result.Hello.Sequence, FrameFlags.None),
                        FrameType.Prediction => (result.Prediction.Sequence, result.Prediction.Flags),
                        FrameType.Alarm => (result.Alarm.Sequence, result.Alarm.Flags),
                        FrameType.Health => (result.Health.Sequence, result.Health.Flags),
                        _ => (ulong.MaxValue, FrameFlags.None),
                    };
                    if (sequence == ulong.MaxValue) continue;
                    lock (_lock)
                    {
                        if (result.FrameType == FrameType.Hello)
                        {
                            _hellos.Add(result.Hello);
                            session = result.Hello.SessionId;
                        }
                        if (!_frames.TryAdd(sequence, (result.FrameType, flags))) Interlocked.Increment(ref _duplicates);
                    }
                    latest = sequence;
                }
                if (latest is ulong through && Behaviour == CollectorBehaviour.Acknowledge)
                {
                    ack.ResetWrittenCount();
                    encoder.Write(new AckFrame { HighestSequence = through, SessionId = session }, ack);
                    socket.Send(ack.WrittenSpan);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // the board or the test closed the connection
        }
        finally
        {
            lock (_lock) _open.Remove(socket);
            socket.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        GoDown();
        _stop.Dispose();
    }
}
