using System.Net;
using System.Net.Sockets;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Sends each frame as one datagram to a collector (docs/protocol.md: no framing over UDP), through the protocol
/// library's <see cref="UdpFrameSender"/>; this sink adds the socket's lifetime, the drop count, the Hello
/// resent every minute (a collector that starts, or lost a datagram, after the board cannot ask for it), and the
/// collector's name resolved again every minute on a thread of its own, so a collector that moves to another
/// address (DHCP, a replaced server) is found again and a board that boots before its DNS answers starts anyway.
/// UDP is best effort: nothing acknowledges it, so it sends live frames, keeps no backlog, and counts what it could
/// not send (no address yet, or the socket refused it).
/// </summary>
internal sealed class UdpSink : FrameSink
{
    /// <summary>How often a board sends the latest Hello again.</summary>
    public static readonly TimeSpan DefaultHelloInterval = TimeSpan.FromSeconds(60);

    /// <summary>How often the collector's name is resolved again (an address literal never is).</summary>
    public static readonly TimeSpan DefaultResolveInterval = TimeSpan.FromSeconds(60);

    private readonly long _helloIntervalMs;
    private readonly string _host;
    private readonly int _port;
    private readonly string _name;
    private readonly TextWriter _log;
    private readonly Func<string, IPAddress[]> _resolve;
    private readonly TimeSpan _resolveInterval;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread? _resolver;
    private Target? _target;     // the sampling thread reads it, the resolver swaps it
    private Target? _retired;    // the previous target, disposed one interval after the swap (no send can still use it)
    private byte[] _hello = [];
    private long _helloSentMs;
    private long _drops;

    /// <summary>One connected socket and its sender.</summary>
    private sealed class Target(IPAddress address, int port) : IDisposable
    {
        public IPAddress Address { get; } = address;

        public Socket Socket { get; } = Connect(address, port);

        public UdpFrameSender Sender => field ??= new UdpFrameSender(Socket);

        private static Socket Connect(IPAddress address, int port)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Connect(address, port); // a connected UDP socket sends without building an address per datagram
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public void Dispose() => Socket.Dispose();
    }

    /// <summary>Creates the sink and resolves <paramref name="host"/> once; a name is resolved again every <paramref name="resolveInterval"/>.</summary>
    /// <param name="host">The collector's name or address.</param>
    /// <param name="port">Its UDP port.</param>
    /// <param name="log">Where a failed or changed resolution is reported; null for nowhere.</param>
    /// <param name="helloInterval">How often the Hello is sent again.</param>
    /// <param name="resolveInterval">How often a name is resolved again (every 5 s while it has no address).</param>
    /// <param name="resolve">The resolver (tests give their own); DNS by default.</param>
    public UdpSink(string host, int port, TextWriter? log = null, TimeSpan? helloInterval = null, TimeSpan? resolveInterval = null,
        Func<string, IPAddress[]>? resolve = null)
    {
        _helloIntervalMs = (long)(helloInterval ?? DefaultHelloInterval).TotalMilliseconds;
        _host = host;
        _port = port;
        _name = $"udp {host}:{port}";
        _log = log ?? TextWriter.Null;
        _resolve = resolve ?? Dns.GetHostAddresses;
        _resolveInterval = resolveInterval ?? DefaultResolveInterval;
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            _target = new Target(literal, port);
            return;
        }

        Resolve();
        _resolver = new Thread(ResolveLoop) { IsBackground = true, Name = $"edgelstm {_name} resolver" };
        _resolver.Start();
    }

    public override string Name => _name;

    public override FrameForm Form => FrameForm.Datagram;

    public override long Drops => Interlocked.Read(ref _drops);

    /// <summary>The address frames go to now; null while the name has not resolved.</summary>
    public IPAddress? Address => Volatile.Read(ref _target)?.Address;

    public override void Write(in OutgoingFrame frame)
    {
        long now = Environment.TickCount64;
        if (frame.Type == FrameType.Hello)
        {
            _hello = frame.Datagram.ToArray(); // rare: at start and before the time offset wraps
            _helloSentMs = now;
        }
        else if (_hello.Length > 0 && now - _helloSentMs >= _helloIntervalMs)
        {
            Send(_hello);
            _helloSentMs = now;
        }
        Send(frame.Datagram);
    }

    private void Send(ReadOnlySpan<byte> datagram)
    {
        Target? target = Volatile.Read(ref _target);
        if (target is null)
        {
            Interlocked.Increment(ref _drops); // no address yet
            return;
        }
        try
        {
            target.Sender.Send(datagram);
        }
        catch (SocketException)
        {
            // ICMP port unreachable and full buffers surface here; UDP is best effort, so count and go on.
            Interlocked.Increment(ref _drops);
        }
    }

    private void ResolveLoop()
    {
        while (!_stop.Wait(Volatile.Read(ref _target) is null ? TimeSpan.FromTicks(Math.Min(_resolveInterval.Ticks, TimeSpan.TicksPerSecond * 5)) : _resolveInterval))
        {
            Resolve();
        }
    }

    /// <summary>Resolves the name and, when the address changed, sends to the new one from the next frame on.</summary>
    private void Resolve()
    {
        IPAddress? address;
        try
        {
            IPAddress[] addresses = _resolve(_host);
            address = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? (addresses.Length > 0 ? addresses[0] : null);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            if (Volatile.Read(ref _target) is null) _log.WriteLine($"edgelstm: {_name}: cannot resolve '{_host}' ({e.Message}); frames are dropped (counted) until it resolves");
            return;
        }

        Target? current = Volatile.Read(ref _target);
        _retired?.Dispose();
        _retired = null;
        if (address is null || address.Equals(current?.Address)) return;
        try
        {
            Volatile.Write(ref _target, new Target(address, _port));
        }
        catch (SocketException e)
        {
            _log.WriteLine($"edgelstm: {_name}: cannot send to {address} ({e.Message}); tried again in {_resolveInterval.TotalSeconds:0} s");
            return;
        }
        _retired = current;
        _log.WriteLine(current is null ? $"edgelstm: {_name}: '{_host}' resolved to {address}" : $"edgelstm: {_name}: '{_host}' moved from {current.Address} to {address}");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Set();
            _resolver?.Join(TimeSpan.FromSeconds(5));
            _target?.Dispose();
            _retired?.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
