using System.Buffers;
using System.Net;
using System.Net.Sockets;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Sinks;

namespace EdgeLstm.Runtime.Tests.Frames;

public class FrameEmitterTests
{
    /// <summary>Keeps a copy of every form of every frame it is handed.</summary>
    private sealed class RecordingSink(FrameForm form) : FrameSink
    {
        public List<(byte[] Stream, byte[] Datagram, byte[] Text)> Frames { get; } = [];

        public override string Name => $"recording {form}";

        public override FrameForm Form => form;

        public override void Write(in OutgoingFrame frame) =>
            Frames.Add((frame.Stream.ToArray(), frame.Datagram.ToArray(), frame.Text.ToArray()));
    }

    private static readonly PredictionFrame Expected = new()
    {
        Sequence = 0, TimeMs = 1500, Status = PredictionStatus.Degraded, Probabilities = new byte[] { 230, 26 }, AnomalyLevel = 13,
    };

    private static void EmitOnePrediction(FrameEmitter emitter) =>
        emitter.EmitPrediction(1500, [0.9f, 0.1f], 0.1f, 0.1f, degraded: true);

    private static byte[] Encoded(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(nameof(FrameForm.Stream))]
    [InlineData(nameof(FrameForm.Datagram))]
    [InlineData(nameof(FrameForm.Text))]
    public void Only_the_form_the_sinks_take_is_built(string formName)
    {
        // By name: FrameForm is internal, and a theory's parameters must be public types.
        FrameForm form = Enum.Parse<FrameForm>(formName);
        var sink = new RecordingSink(form);
        using (var emitter = new FrameEmitter([sink], ["normal", "fault"], carriesProbabilities: true))
        {
            EmitOnePrediction(emitter);
        }

        (byte[] stream, byte[] datagram, byte[] text) = Assert.Single(sink.Frames);
        Assert.Equal(form == FrameForm.Stream ? Encoded(o => new StreamFrameEncoder().Write(Expected, o)) : [], stream);
        Assert.Equal(form == FrameForm.Datagram ? Encoded(o => DatagramFrames.Write(Expected, o)) : [], datagram);
        Assert.Equal(form == FrameForm.Text, text.Length > 0);
    }

    [Fact]
    public void Sinks_of_different_forms_each_get_theirs()
    {
        var stream = new RecordingSink(FrameForm.Stream);
        var datagram = new RecordingSink(FrameForm.Datagram);
        using (var emitter = new FrameEmitter([stream, datagram], ["normal", "fault"], carriesProbabilities: true))
        {
            EmitOnePrediction(emitter);
        }

        // Every sink is handed both built forms; the text form stays unbuilt, as no sink takes it.
        foreach (RecordingSink sink in new[] { stream, datagram })
        {
            (byte[] framed, byte[] payload, byte[] text) = Assert.Single(sink.Frames);
            Assert.Equal(Encoded(o => new StreamFrameEncoder().Write(Expected, o)), framed);
            Assert.Equal(Encoded(o => DatagramFrames.Write(Expected, o)), payload);
            Assert.Empty(text);
        }
    }

    [Fact]
    public async Task Udp_sink_sends_one_datagram_per_frame()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)receiver.LocalEndPoint!).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using (var emitter = new FrameEmitter([new UdpSink("127.0.0.1", port)], ["normal", "fault"], carriesProbabilities: true))
        {
            EmitOnePrediction(emitter);
            emitter.EmitAlarm(2000, raised: true, classIndex: 1, "fault", 0.9f, durationMs: 500);
        }

        var received = new List<DecodeResult>();
        await foreach (DecodeResult result in DatagramFrames.ReceiveAllAsync(receiver, cancellationToken: timeout.Token))
        {
            received.Add(result);
            if (received.Count == 2) break;
        }

        Assert.Equal(Expected.Probabilities.ToArray(), received[0].Prediction.Probabilities.ToArray());
        Assert.Equal((1ul, 1), (received[1].Alarm.Sequence, received[1].Alarm.ClassIndex));
    }

    [Fact]
    public async Task Udp_sink_sends_the_latest_Hello_again_after_its_interval_since_nothing_can_ask_for_it()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)receiver.LocalEndPoint!).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using (var emitter = new FrameEmitter([new UdpSink("127.0.0.1", port, helloInterval: TimeSpan.FromMilliseconds(50))], null, ["rul"], Core.Model.OutputKind.Regressor))
        {
            emitter.EmitHello(Hello);
            emitter.EmitPrediction(0, [1f], 0, 0, degraded: false);
            Thread.Sleep(100);
            emitter.EmitPrediction(100, [2f], 0, 0, degraded: false);
        }

        var received = new List<DecodeResult>();
        await foreach (DecodeResult result in DatagramFrames.ReceiveAllAsync(receiver, cancellationToken: timeout.Token))
        {
            received.Add(result);
            if (received.Count == 4) break;
        }

        Assert.Equal([FrameType.Hello, FrameType.Prediction, FrameType.Hello, FrameType.Prediction], received.Select(r => r.FrameType));
        Assert.Equal(received[0].Hello.Sequence, received[2].Hello.Sequence); // the same Hello again: a collector drops it as a duplicate
    }

    private static HelloFrame Hello => new()
    {
        ProtocolVersion = ProtocolInfo.Version, DeviceId = "test", FirmwareVersion = "1", ModelId = "0011223344556677",
        ChannelNames = ["a"], OutputLabels = ["rul"], SampleRateHz = 10, EpochUnixMs = 1_000_000, SessionId = 42,
    };

    private static List<DecodeResult> Decode(RecordingSink sink)
    {
        var decoder = new StreamFrameDecoder();
        var results = new List<DecodeResult>();
        foreach ((byte[] stream, _, _) in sink.Frames)
        {
            Assert.True(decoder.TryDecodeNext(stream, out int consumed, out DecodeResult result) && consumed == stream.Length);
            results.Add(result);
        }
        return results;
    }

    [Fact]
    public void Before_a_time_offset_would_wrap_the_Hello_is_sent_again_with_a_later_epoch_and_every_frame_keeps_its_time()
    {
        var sink = new RecordingSink(FrameForm.Stream);
        using (var emitter = new FrameEmitter([sink], null, ["rul"], Core.Model.OutputKind.Regressor, rebaseAfterMs: 1000))
        {
            emitter.EmitHello(Hello);
            for (long ms = 0; ms <= 3500; ms += 250) emitter.EmitPrediction(ms, [87f + ms], 0, 0, degraded: false);
        }

        List<DecodeResult> frames = Decode(sink);
        Assert.Equal(Enumerable.Range(0, frames.Count).Select(i => (ulong)i), frames.Select(Sequence));
        HelloFrame current = default;
        var hellos = new List<HelloFrame>();
        foreach (DecodeResult frame in frames)
        {
            if (frame.FrameType == FrameType.Hello)
            {
                current = frame.Hello;
                hellos.Add(current);
                continue;
            }
            PredictionFrame prediction = frame.Prediction;
            Assert.True(prediction.TimeMs <= 1000, $"offset {prediction.TimeMs} ms from its Hello");
            long elapsed = (long)current.ToUnixMs(prediction.TimeMs) - 1_000_000;
            Assert.Equal(87f + elapsed, prediction.Values.Span[0]); // the value travelled as a number, at the right time
        }
        Assert.Equal([0ul, 1250ul, 2500ul], hellos.Select(h => h.EpochUnixMs - 1_000_000)); // the first, then whenever 1 s would pass
        Assert.All(hellos, h => Assert.Equal(42ul, h.SessionId));
    }

    private static ulong Sequence(DecodeResult frame) => frame.FrameType switch
    {
        FrameType.Hello => frame.Hello.Sequence,
        FrameType.Prediction => frame.Prediction.Sequence,
        FrameType.Alarm => frame.Alarm.Sequence,
        _ => frame.Health.Sequence,
    };
}
