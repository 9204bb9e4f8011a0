using System.Buffers;
using BenchmarkDotNet.Attributes;
using EdgeLstm.Protocol;

namespace EdgeLstm.Bench;

/// <summary>
/// Encode and decode time per frame, for each frame type, on a byte stream (COBS + CRC) and as a datagram
/// (bare MessagePack). The frames are the examples of docs/protocol.md.
/// </summary>
[MemoryDiagnoser]
public class ProtocolBenchmarks
{
    private readonly StreamFrameEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly StreamFrameDecoder _decoder = new();
    private byte[] _framed = [];
    private byte[] _payload = [];

    private static readonly byte[] ExampleProbabilities = [232, 13, 8, 3];
    private static readonly uint[] ChannelErrors = [0, 5, 0];

    private static readonly HelloFrame ExampleHello = new()
    {
        ProtocolVersion = ProtocolInfo.Version,
        DeviceId = "pump-07",
        FirmwareVersion = "0.1.0",
        ModelId = "bearing-lstm@3f2a",
        ChannelNames = ["vib_x", "vib_y", "temp"],
        OutputLabels = ["normal", "imbalance", "misalign", "bearing"],
        SampleRateHz = 100f,
        EpochUnixMs = 1_795_845_600_000,
    };

    private static readonly PredictionFrame ExamplePrediction = new()
    {
        Sequence = 123_456, TimeMs = 3_600_000, Probabilities = ExampleProbabilities, AnomalyLevel = 15,
    };

    private static readonly AlarmFrame ExampleAlarm = new()
    {
        Sequence = 123_457, TimeMs = 3_600_250, Raised = true, ClassIndex = 3, Score = 0.87f, DurationMs = 4000,
    };

    private static readonly HealthFrame ExampleHealth = new()
    {
        Sequence = 123_500, TimeMs = 3_660_000, UptimeSeconds = 3720, SamplesRead = 372_000, Overruns = 2,
        ChannelReadErrors = ChannelErrors, InferenceP50Us = 180, InferenceP99Us = 420, InferenceMaxUs = 950,
        SendQueueDepth = 1, CpuTemperatureMilliCelsius = 48_312,
    };

    private static readonly AckFrame ExampleAck = new() { HighestSequence = 123_456 };

    /// <summary>The frame type under test.</summary>
    [Params(FrameType.Hello, FrameType.Prediction, FrameType.Alarm, FrameType.Health, FrameType.Ack)]
    public FrameType Frame { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _output.ResetWrittenCount();
        EncodeStream();
        _framed = _output.WrittenSpan.ToArray();
        _output.ResetWrittenCount();
        EncodeDatagram();
        _payload = _output.WrittenSpan.ToArray();
    }

    /// <summary>Payload + CRC + COBS + delimiter into a reused buffer.</summary>
    [Benchmark]
    public int EncodeStream()
    {
        _output.ResetWrittenCount();
        return Frame switch
        {
            FrameType.Hello => _encoder.Write(ExampleHello, _output),
            FrameType.Prediction => _encoder.Write(ExamplePrediction, _output),
            FrameType.Alarm => _encoder.Write(ExampleAlarm, _output),
            FrameType.Health => _encoder.Write(ExampleHealth, _output),
            _ => _encoder.Write(ExampleAck, _output),
        };
    }

    /// <summary>Bare MessagePack payload into a reused buffer.</summary>
    [Benchmark]
    public int EncodeDatagram()
    {
        _output.ResetWrittenCount();
        switch (Frame)
        {
            case FrameType.Hello: DatagramFrames.Write(ExampleHello, _output); break;
            case FrameType.Prediction: DatagramFrames.Write(ExamplePrediction, _output); break;
            case FrameType.Alarm: DatagramFrames.Write(ExampleAlarm, _output); break;
            case FrameType.Health: DatagramFrames.Write(ExampleHealth, _output); break;
            default: DatagramFrames.Write(ExampleAck, _output); break;
        }

        return _output.WrittenCount;
    }

    /// <summary>Delimiter scan + COBS + CRC + structure walk + field reads, producing a frame value.</summary>
    [Benchmark]
    public DecodeResult DecodeStream()
    {
        _decoder.TryDecodeNext(_framed, out _, out DecodeResult result);
        return result;
    }

    /// <summary>Structure walk + field reads of a bare payload.</summary>
    [Benchmark]
    public DecodeResult DecodeDatagram() => DatagramFrames.Decode(_payload);
}
