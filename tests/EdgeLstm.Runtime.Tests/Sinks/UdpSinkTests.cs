using System.Net;
using System.Net.Sockets;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Sinks;

namespace EdgeLstm.Runtime.Tests.Sinks;

/// <summary>
/// A collector addressed by name: the name is resolved again on the sink's own thread, so a collector that moves
/// to another address is found again, and a name that does not resolve yet drops (counted) instead of failing the start.
/// 127.0.0.1 and 127.0.0.2 are both loopback on Linux: two collectors on one port number.
/// </summary>
public sealed class UdpSinkTests : IDisposable
{
    private readonly Socket _first = Bound(IPAddress.Loopback, 0);
    private readonly Socket _second;
    private readonly int _port;
    private volatile IPAddress[] _answer = [];
    private readonly StringWriter _log = new();

    public UdpSinkTests()
    {
        _port = ((IPEndPoint)_first.LocalEndPoint!).Port;
        _second = Bound(IPAddress.Parse("127.0.0.2"), _port);
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    private static Socket Bound(IPAddress address, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 100 };
        socket.Bind(new IPEndPoint(address, port));
        return socket;
    }

    private UdpSink Sink() =>
        new("collector.plant.example", _port, TextWriter.Synchronized(_log), resolveInterval: TimeSpan.FromMilliseconds(20), resolve: _ => _answer);

    private static int Received(Socket socket)
    {
        var buffer = new byte[512];
        int count = 0;
        while (socket.Available > 0)
        {
            socket.Receive(buffer);
            count++;
        }
        return count;
    }

    private static void EmitUntil(FrameEmitter emitter, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        long ms = 0;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            emitter.EmitPrediction(ms += 10, [0.9f, 0.1f], 0.1f, 0.1f, degraded: false);
            Thread.Sleep(5);
        }
    }

    [Fact]
    public void A_collector_that_moves_to_another_address_is_found_again()
    {
        _answer = [IPAddress.Loopback];
        using UdpSink sink = Sink();
        using var emitter = new FrameEmitter([sink], ["normal", "fault"], carriesProbabilities: true);
        int before = 0;
        EmitUntil(emitter, () => (before += Received(_first)) >= 5);

        _answer = [IPAddress.Parse("127.0.0.2")];
        EmitUntil(emitter, () => Equals(sink.Address, IPAddress.Parse("127.0.0.2")));
        emitter.EmitPrediction(100_000, [0.9f, 0.1f], 0.1f, 0.1f, degraded: false);
        Thread.Sleep(50);
        Assert.True(Received(_second) >= 1);
        Assert.Contains("moved from 127.0.0.1 to 127.0.0.2", _log.ToString());
        Assert.Equal(0, sink.Drops);
    }

    [Fact]
    public void A_name_that_does_not_resolve_yet_drops_counted_until_it_does()
    {
        using UdpSink sink = Sink(); // no answer at start: the board starts anyway
        using var emitter = new FrameEmitter([sink], ["normal", "fault"], carriesProbabilities: true);
        for (int i = 0; i < 10; i++) emitter.EmitPrediction(i, [0.9f, 0.1f], 0.1f, 0.1f, degraded: false);
        Assert.Equal(10, sink.Drops);
        Assert.Null(sink.Address);

        _answer = [IPAddress.Loopback];
        int received = 0;
        EmitUntil(emitter, () => (received += Received(_first)) >= 3);
        Assert.Contains("resolved to 127.0.0.1", _log.ToString());
    }

    [Fact]
    public void A_resolver_that_throws_is_reported_and_retried()
    {
        using UdpSink sink = new("collector.plant.example", _port, TextWriter.Synchronized(_log), resolveInterval: TimeSpan.FromMilliseconds(20),
            resolve: _ => _answer.Length == 0 ? throw new SocketException((int)SocketError.HostNotFound) : _answer);
        Assert.Contains("cannot resolve 'collector.plant.example'", _log.ToString());
        _answer = [IPAddress.Loopback];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (sink.Address is null && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.Equal(IPAddress.Loopback, sink.Address);
    }
}
