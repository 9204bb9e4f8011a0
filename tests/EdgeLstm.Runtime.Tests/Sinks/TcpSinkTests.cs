using System.Net;
using System.Net.Sockets;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Sinks;

namespace EdgeLstm.Runtime.Tests.Sinks;

public class TcpSinkTests
{
    private static HelloFrame Hello => new()
    {
        ProtocolVersion = ProtocolInfo.Version, DeviceId = "test", FirmwareVersion = "1", ModelId = "0011223344556677",
        ChannelNames = ["a"], OutputLabels = ["normal", "fault"], SampleRateHz = 10, EpochUnixMs = 1,
    };

    private static async Task<List<DecodeResult>> ReceiveAsync(TcpListener listener, int frames)
    {
        using TcpClient client = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var received = new List<DecodeResult>();
        await foreach (DecodeResult result in FrameStreamReader.ReadAllAsync(client.GetStream()).WithCancellation(CancellationToken.None))
        {
            received.Add(result);
            if (received.Count == frames) break;
        }
        return received;
    }

    [Fact]
    public async Task Frames_queued_while_the_collector_is_away_arrive_after_it_comes_up_with_Hello_first()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // the collector is down at first

        var log = new StringWriter();
        using var sink = new TcpSink("127.0.0.1", port, 64 * 1024, TextWriter.Synchronized(log));
        using var emitter = new FrameEmitter([sink], ["normal", "fault"], carriesProbabilities: true);
        emitter.EmitHello(Hello);
        for (uint i = 0; i < 20; i++) emitter.EmitPrediction(i * 100, [0.9f, 0.1f], 0.1f, 0.1f, degraded: false);
        Assert.Equal(20, sink.QueueDepth);
        Assert.False(sink.IsConnected);

        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            List<DecodeResult> received;
            try
            {
                received = await ReceiveAsync(listener, 21);
            }
            catch (TimeoutException)
            {
                Assert.Fail("no connection; sink log: " + log);
                throw;
            }
            Assert.Equal(FrameType.Hello, received[0].FrameType);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (ulong)i), received.Skip(1).Select(r => r.Prediction.Sequence));
            Assert.Equal(0, sink.Drops);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void A_full_queue_drops_the_oldest_frames_and_counts_them()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var sink = new TcpSink("127.0.0.1", port, 1024, TextWriter.Null);
        using var emitter = new FrameEmitter([sink], ["normal", "fault"], carriesProbabilities: true);
        for (uint i = 0; i < 500; i++) emitter.EmitPrediction(i, [0.5f, 0.5f], 0.5f, 0.5f, degraded: false);
        Assert.True(sink.Drops > 0);
        Assert.Equal(500, sink.Drops + sink.QueueDepth);
        Assert.True(sink.QueueDepth * 10 <= 1024, "the queue stays within its byte budget");
    }
}
