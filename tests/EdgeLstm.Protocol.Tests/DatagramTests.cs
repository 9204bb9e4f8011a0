using System.Net;
using System.Net.Sockets;

namespace EdgeLstm.Protocol.Tests;

public class DatagramTests
{
    [Fact]
    public void Datagram_is_the_bare_payload_and_decodes_alone()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        DatagramFrames.Write(ExampleFrames.Alarm, output);

        Assert.Equal(ExampleFrames.AlarmPayload, ExampleFrames.Hex(output.WrittenSpan));
        FrameAssert.Decoded(ExampleFrames.Alarm, DatagramFrames.Decode(output.WrittenMemory));
    }

    [Fact]
    public async Task Frames_travel_one_per_datagram_over_loopback_udp()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sending = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sending.Connect(receiver.LocalEndPoint!);
        var sender = new UdpFrameSender(sending);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        Assert.Equal(22, sender.Send(ExampleFrames.Prediction));
        sender.Send(ExampleFrames.Ack);

        // A datagram encoded once elsewhere (as the runtime does for all its UDP sinks) goes out unchanged.
        Assert.Equal(24, sender.Send(ExampleFrames.Bytes(ExampleFrames.AlarmPayload)));
        sending.Send(new byte[] { 0xc1 });
        var results = new List<DecodeResult>();
        await foreach (DecodeResult result in DatagramFrames.ReceiveAllAsync(receiver, cancellationToken: timeout.Token))
        {
            results.Add(result);
            if (results.Count == 4)
            {
                break;
            }
        }

        FrameAssert.Decoded(ExampleFrames.Prediction, results[0]);
        FrameAssert.Decoded(ExampleFrames.Ack, results[1]);
        FrameAssert.Decoded(ExampleFrames.Alarm, results[2]);
        FrameAssert.Malformed(results[3], FrameErrorKind.InvalidMessagePack);
    }

    [Fact]
    public async Task Datagram_larger_than_the_limit_is_reported_as_too_long()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sending = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sending.Connect(receiver.LocalEndPoint!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var limits = new DecoderLimits { MaxPayloadBytes = 16 };

        sending.Send(ExampleFrames.Bytes(ExampleFrames.AlarmPayload));
        await foreach (DecodeResult result in DatagramFrames.ReceiveAllAsync(receiver, limits, timeout.Token))
        {
            FrameAssert.Malformed(result, FrameErrorKind.FrameTooLong);
            break;
        }
    }
}
