using System.Buffers;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Tests;

/// <summary>Real encoded frames for tests: built with the protocol's encoder, decoded with its decoder.</summary>
internal static class Frames
{
    public const ulong Session = 0x8F3A5C71D2E4B609;
    public const ulong Epoch = 1_795_845_600_000;

    public static HelloFrame Hello(ulong sequence, string device = "pump-07", ulong session = Session, ulong epoch = Epoch) => new()
    {
        ProtocolVersion = ProtocolInfo.Version,
        DeviceId = device,
        FirmwareVersion = "0.1.0",
        ModelId = "bearing-lstm@3f2a",
        ChannelNames = ["vib_x", "vib_y"],
        OutputLabels = ["normal", "fault"],
        SampleRateHz = 100,
        EpochUnixMs = epoch,
        SessionId = session,
        Sequence = sequence,
    };

    public static PredictionFrame Prediction(ulong sequence) => new()
    {
        Sequence = sequence,
        TimeMs = (uint)(sequence * 10),
        Probabilities = new byte[] { 200, 55 },
        AnomalyLevel = 12,
        Values = ReadOnlyMemory<float>.Empty,
    };

    public static HealthFrame Health(ulong sequence) => new()
    {
        Sequence = sequence,
        TimeMs = (uint)(sequence * 10),
        UptimeSeconds = 60,
        SamplesRead = 6000,
        ChannelReadErrors = new uint[] { 0, 1 },
        ChannelReadTimeouts = new uint[] { 0, 0 },
        ChannelNonFinite = new uint[] { 2, 0 },
        CpuTemperatureMilliCelsius = 51_500,
        AlarmThresholds = new float[] { 0.8f, 0.6f, float.NaN, float.NaN },
    };

    public static EventFrame Event(ulong sequence, BoardEventKind kind = BoardEventKind.UpdateApplied, string message = "model 1f0e2d3c4b5a6978 applied", ulong version = 1_796_000_000_000) => new()
    {
        Sequence = sequence,
        TimeMs = (uint)(sequence * 10),
        Kind = kind,
        UpdateVersion = version,
        ModelId = "1f0e2d3c4b5a6978",
        Message = message,
    };

    public static AlarmFrame Alarm(ulong sequence, bool raised) => new() { Sequence = sequence, TimeMs = 5, Raised = raised, ClassIndex = 1, Score = 0.9f, DurationMs = 1000 };

    /// <summary>The frames as the stream carries them.</summary>
    public static byte[] Stream(params IWireFrame[] frames)
    {
        var encoder = new StreamFrameEncoder();
        var buffer = new ArrayBufferWriter<byte>();
        foreach (IWireFrame frame in frames) Write(encoder, frame, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(StreamFrameEncoder encoder, IWireFrame frame, ArrayBufferWriter<byte> buffer)
    {
        switch (frame)
        {
            case HelloFrame h: encoder.Write(h, buffer); break;
            case PredictionFrame p: encoder.Write(p, buffer); break;
            case AlarmFrame a: encoder.Write(a, buffer); break;
            case HealthFrame x: encoder.Write(x, buffer); break;
            case EventFrame e: encoder.Write(e, buffer); break;
            default: throw new ArgumentException("unsupported frame", nameof(frame));
        }
    }

    /// <summary>The frames decoded, as an ingest hands them to a store.</summary>
    public static List<ReceivedFrame> Received(string device, params IWireFrame[] frames) => Received(device, Session, frames);

    /// <summary>The frames as an ingest that knows no link session (MQTT) hands them over: session 0.</summary>
    public static List<ReceivedFrame> ReceivedWithoutLinkSession(string device, params IWireFrame[] frames) => Received(device, 0, frames);

    private static List<ReceivedFrame> Received(string device, ulong linkSession, IWireFrame[] frames)
    {
        byte[] bytes = Stream(frames);
        var decoder = new StreamFrameDecoder();
        var received = new List<ReceivedFrame>();
        ReadOnlySpan<byte> input = bytes;
        while (!input.IsEmpty && decoder.TryDecodeNext(input, out int consumed, out DecodeResult result))
        {
            input = input[consumed..];
            Assert.True(result.IsFrame, result.ToString());
            received.Add(new ReceivedFrame(device, linkSession, result));
        }
        Assert.Equal(frames.Length, received.Count);
        return received;
    }
}

/// <summary>A database file in a temporary folder, deleted afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgelstm-collector-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "test.db");

    public string Folder => _folder;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}
