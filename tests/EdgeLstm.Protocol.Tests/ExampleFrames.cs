using System.Buffers;

namespace EdgeLstm.Protocol.Tests;

/// <summary>The example frames of docs/protocol.md, with the exact bytes the spec shows for them.</summary>
internal static class ExampleFrames
{
    /// <summary>The session id of the examples' board (a random number in practice).</summary>
    public const ulong SessionId = 0x8F3A_5C71_D2E4_B609;

    public static readonly HelloFrame Hello = new()
    {
        ProtocolVersion = 2,
        DeviceId = "pump-07",
        FirmwareVersion = "0.1.0",
        ModelId = "bearing-lstm@3f2a",
        ChannelNames = ["vib_x", "vib_y", "temp"],
        OutputLabels = ["normal", "imbalance", "misalign", "bearing"],
        SampleRateHz = 100f,
        EpochUnixMs = 1_795_845_600_000,
        SessionId = SessionId,
        Sequence = 120_000,
    };

    public static readonly PredictionFrame Prediction = new()
    {
        Sequence = 123_456,
        TimeMs = 3_600_000,
        Status = PredictionStatus.None,
        Probabilities = new byte[] { 232, 13, 8, 3 },
        AnomalyLevel = 15,
    };

    /// <summary>A regression model's prediction (remaining useful life 87 cycles, a forecast 0.3125) with a sequence above 2³².</summary>
    public static readonly PredictionFrame PredictionWithValues = new()
    {
        Sequence = (1UL << 32) + 17,
        TimeMs = 3_600_000,
        Status = PredictionStatus.None,
        Probabilities = Array.Empty<byte>(),
        AnomalyLevel = 15,
        Values = new float[] { 87f, 0.3125f },
    };

    /// <summary>The example Prediction resent from the journal.</summary>
    public static readonly PredictionFrame PredictionHistorical = Prediction with { Flags = FrameFlags.Historical };

    public static readonly AlarmFrame Alarm = new()
    {
        Sequence = 123_457,
        TimeMs = 3_600_250,
        Raised = true,
        ClassIndex = 3,
        Score = 0.87f,
        DurationMs = 4000,
        Degraded = true,
    };

    public static readonly HealthFrame Health = new()
    {
        Sequence = 123_500,
        TimeMs = 3_660_000,
        UptimeSeconds = 3720,
        SamplesRead = 372_000,
        Overruns = 2,
        ChannelReadErrors = new uint[] { 0, 5, 0 },
        InferenceP50Us = 180,
        InferenceP99Us = 420,
        InferenceMaxUs = 950,
        SendQueueDepth = 1,
        SendQueueDrops = 0,
        CpuTemperatureMilliCelsius = 48_312,
        JournalBacklog = 1250,
        JournalEvictions = 17,
        JournalDamaged = 1,
        ChannelReadTimeouts = new uint[] { 0, 0, 3 },
        ChannelNonFinite = new uint[] { 0, 0, 0 },
        ModelResets = 1,
        AlarmThresholds = new float[] { 2.5f, 1.875f },
    };

    public static readonly AckFrame Ack = new() { HighestSequence = 123_456, SessionId = SessionId };

    /// <summary>A range Ack (MQTT): frames 123,400 … 123,456 committed.</summary>
    public static readonly AckFrame AckRange = Ack with { LowestSequence = 123_400 };

    // What the version-1 examples decode to: the fields version 2 appended take their defaults.
    public static readonly HelloFrame HelloV1 = Hello with { ProtocolVersion = 1, SessionId = 0, Sequence = 0 };

    public static readonly PredictionFrame PredictionV1 = Prediction;

    public static readonly AlarmFrame AlarmV1 = Alarm with { Degraded = false };

    public static readonly HealthFrame HealthV1 = Health with
    {
        JournalBacklog = 0, JournalEvictions = 0, JournalDamaged = 0, ChannelReadTimeouts = Array.Empty<uint>(), ChannelNonFinite = Array.Empty<uint>(), ModelResets = 0,
        AlarmThresholds = Array.Empty<float>(),
    };

    public static readonly AckFrame AckV1 = Ack with { SessionId = 0 };

    // Payload = the bare MessagePack array (also the UDP datagram); Framed = COBS(payload ‖ CRC-16) ‖ 00.
    public const string HelloPayload =
        "9b 01 02 a7 70 75 6d 70 2d 30 37 a5 30 2e 31 2e 30 b1 62 65 61 72 69 6e 67 2d 6c 73 74 6d 40 33 66 32 61 93 a5 76 69 62 5f 78 a5 76 69 62 5f 79 a4 74 65 6d 70 94 a6 6e 6f 72 6d 61 6c a9 69 6d 62 61 6c 61 6e 63 65 a8 6d 69 73 61 6c 69 67 6e a7 62 65 61 72 69 6e 67 ca 42 c8 00 00 cf 00 00 01 a2 20 bd 33 00 cf 8f 3a 5c 71 d2 e4 b6 09 ce 00 01 d4 c0";

    public const string HelloFramed =
        "5c 9b 01 02 a7 70 75 6d 70 2d 30 37 a5 30 2e 31 2e 30 b1 62 65 61 72 69 6e 67 2d 6c 73 74 6d 40 33 66 32 61 93 a5 76 69 62 5f 78 a5 76 69 62 5f 79 a4 74 65 6d 70 94 a6 6e 6f 72 6d 61 6c a9 69 6d 62 61 6c 61 6e 63 65 a8 6d 69 73 61 6c 69 67 6e a7 62 65 61 72 69 6e 67 ca 42 c8 01 02 cf 01 06 01 a2 20 bd 33 0b cf 8f 3a 5c 71 d2 e4 b6 09 ce 06 01 d4 c0 81 75 00";

    public const string PredictionPayload = "98 02 ce 00 01 e2 40 ce 00 36 ee 80 00 c4 04 e8 0d 08 03 0f 90 00";

    public const string PredictionFramed = "04 98 02 ce 05 01 e2 40 ce 04 36 ee 80 09 c4 04 e8 0d 08 03 0f 90 03 e3 6f 00";

    public const string PredictionWithValuesPayload = "98 02 cf 00 00 00 01 00 00 00 11 ce 00 36 ee 80 00 c4 00 0f 92 ca 42 ae 00 00 ca 3e a0 00 00 00";

    public const string PredictionWithValuesFramed =
        "04 98 02 cf 01 01 02 01 01 01 03 11 ce 04 36 ee 80 02 c4 06 0f 92 ca 42 ae 01 04 ca 3e a0 01 01 03 f2 12 00";

    public const string PredictionHistoricalPayload = "98 02 ce 00 01 e2 40 ce 00 36 ee 80 00 c4 04 e8 0d 08 03 0f 90 01";

    public const string PredictionHistoricalFramed = "04 98 02 ce 05 01 e2 40 ce 04 36 ee 80 0c c4 04 e8 0d 08 03 0f 90 01 f3 4e 00";

    public const string AlarmPayload = "99 03 ce 00 01 e2 41 ce 00 36 ef 7a c3 03 ca 3f 5e b8 52 cd 0f a0 00 c3";

    public const string AlarmFramed = "04 99 03 ce 05 01 e2 41 ce 0e 36 ef 7a c3 03 ca 3f 5e b8 52 cd 0f a0 04 c3 9a 30 00";

    public const string HealthPayload =
        "dc 00 15 04 ce 00 01 e2 6c ce 00 37 d8 e0 cd 0e 88 ce 00 05 ad 20 02 93 00 05 00 cc b4 cd 01 a4 cd 03 b6 01 00 cd bc b8 cd 04 e2 11 01 00 93 00 00 03 93 00 00 00 01 92 ca 40 20 00 00 ca 3f f0 00 00";

    public const string HealthFramed =
        "02 dc 04 15 04 ce 05 01 e2 6c ce 08 37 d8 e0 cd 0e 88 ce 06 05 ad 20 02 93 02 05 0a cc b4 cd 01 a4 cd 03 b6 01 09 cd bc b8 cd 04 e2 11 01 02 93 01 03 03 93 01 01 06 01 92 ca 40 20 01 04 ca 3f f0 01 03 45 12 00";

    public const string AckPayload = "93 05 ce 00 01 e2 40 cf 8f 3a 5c 71 d2 e4 b6 09";

    public const string AckFramed = "04 93 05 ce 0f 01 e2 40 cf 8f 3a 5c 71 d2 e4 b6 09 90 61 00";

    public const string AckRangePayload = "94 05 ce 00 01 e2 40 cf 8f 3a 5c 71 d2 e4 b6 09 ce 00 01 e2 08";

    public const string AckRangeFramed = "04 94 05 ce 0e 01 e2 40 cf 8f 3a 5c 71 d2 e4 b6 09 ce 06 01 e2 08 3c 94 00";

    // Version 1 (docs/protocol.md, "Version 1 frames, still read").
    public const string HelloV1Payload =
        "99 01 01 a7 70 75 6d 70 2d 30 37 a5 30 2e 31 2e 30 b1 62 65 61 72 69 6e 67 2d 6c 73 74 6d 40 33 66 32 61 93 a5 76 69 62 5f 78 a5 76 69 62 5f 79 a4 74 65 6d 70 94 a6 6e 6f 72 6d 61 6c a9 69 6d 62 61 6c 61 6e 63 65 a8 6d 69 73 61 6c 69 67 6e a7 62 65 61 72 69 6e 67 ca 42 c8 00 00 cf 00 00 01 a2 20 bd 33 00";

    public const string HelloV1Framed =
        "5c 99 01 01 a7 70 75 6d 70 2d 30 37 a5 30 2e 31 2e 30 b1 62 65 61 72 69 6e 67 2d 6c 73 74 6d 40 33 66 32 61 93 a5 76 69 62 5f 78 a5 76 69 62 5f 79 a4 74 65 6d 70 94 a6 6e 6f 72 6d 61 6c a9 69 6d 62 61 6c 61 6e 63 65 a8 6d 69 73 61 6c 69 67 6e a7 62 65 61 72 69 6e 67 ca 42 c8 01 02 cf 01 06 01 a2 20 bd 33 03 35 d8 00";

    public const string PredictionV1Payload = "96 02 ce 00 01 e2 40 ce 00 36 ee 80 00 c4 04 e8 0d 08 03 0f";

    public const string PredictionV1Framed = "04 96 02 ce 05 01 e2 40 ce 04 36 ee 80 0a c4 04 e8 0d 08 03 0f d6 bc 00";

    public const string AlarmV1Payload = "97 03 ce 00 01 e2 41 ce 00 36 ef 7a c3 03 ca 3f 5e b8 52 cd 0f a0";

    public const string AlarmV1Framed = "04 97 03 ce 05 01 e2 41 ce 10 36 ef 7a c3 03 ca 3f 5e b8 52 cd 0f a0 3f 61 00";

    public const string HealthV1Payload =
        "9d 04 ce 00 01 e2 6c ce 00 37 d8 e0 cd 0e 88 ce 00 05 ad 20 02 93 00 05 00 cc b4 cd 01 a4 cd 03 b6 01 00 cd bc b8";

    public const string HealthV1Framed =
        "04 9d 04 ce 05 01 e2 6c ce 08 37 d8 e0 cd 0e 88 ce 06 05 ad 20 02 93 02 05 0a cc b4 cd 01 a4 cd 03 b6 01 06 cd bc b8 8a 9f 00";

    public const string AckV1Payload = "92 05 ce 00 01 e2 40";

    public const string AckV1Framed = "04 92 05 ce 06 01 e2 40 bb 9a 00";

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string Hex(ReadOnlySpan<byte> bytes) =>
        string.Join(' ', bytes.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    public static byte[] Payload<TFrame>(in TFrame frame)
        where TFrame : IWireFrame
    {
        var output = new ArrayBufferWriter<byte>();
        PayloadEncoder.Write(frame, output);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Framed<TFrame>(in TFrame frame)
        where TFrame : IWireFrame
    {
        var output = new ArrayBufferWriter<byte>();
        new StreamFrameEncoder().Write(frame, output);
        return output.WrittenSpan.ToArray();
    }
}
