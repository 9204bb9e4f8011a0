using CsCheck;

namespace EdgeLstm.Protocol.Tests;

/// <summary>CsCheck generators of random valid frames, and helpers to encode a frame held as <see cref="object"/>.</summary>
internal static class FrameGenerators
{
    // Letters from ASCII to CJK, but no surrogates: every generated string is valid UTF-16 and so round-trips.
    private static readonly Gen<string> Text = Gen.OneOf(Gen.Char[' ', '~'], Gen.Char['\u00a0', '\ud7ff'])
        .Array[0, 24].Select(chars => new string(chars));

    /// <summary>Sequences of every encoded size: small, 32-bit and beyond 2³², where version 2 widened them.</summary>
    public static readonly Gen<ulong> Sequence = Gen.Frequency(
        (2, Gen.ULong[0, 127]), (3, Gen.UInt.Select(value => (ulong)value)), (3, Gen.ULong));

    /// <summary>Any flags the wire format carries (bits 0–6), not only the ones defined today.</summary>
    public static readonly Gen<FrameFlags> Flags = Gen.Frequency(
        (2, Gen.Const(FrameFlags.None)), (2, Gen.Const(FrameFlags.Historical)), (1, Gen.Byte[0, FrameFields.MaxFixInt].Select(b => (FrameFlags)b)));

    // Any float32 bit pattern: NaNs with payloads, infinities, subnormals and −0 travel as they are.
    private static readonly Gen<float> AnyFloat = Gen.Frequency(
        (3, Gen.Float), (1, Gen.Int.Select(BitConverter.Int32BitsToSingle)));

    public static readonly Gen<HelloFrame> Hello = Gen.Select(
        Gen.Select(Gen.UShort, Text, Text, Text, Text.Array[0, 16], Text.Array[0, 16]),
        Gen.Select(Gen.Float, Gen.ULong, Gen.ULong, Sequence),
        (a, b) => new HelloFrame
        {
            ProtocolVersion = a.Item1,
            DeviceId = a.Item2,
            FirmwareVersion = a.Item3,
            ModelId = a.Item4,
            ChannelNames = a.Item5,
            OutputLabels = a.Item6,
            SampleRateHz = b.Item1,
            EpochUnixMs = b.Item2,
            SessionId = b.Item3,
            Sequence = b.Item4,
        });

    public static readonly Gen<PredictionFrame> Prediction = Gen.Select(
        Gen.Select(Sequence, Gen.UInt, Gen.Byte[0, PredictionFrameFormatter.MaxStatus], Gen.Byte.Array[0, 64], Gen.Byte[0, Quantization.AnomalyScale]),
        Gen.Select(AnyFloat.Array[0, 20], Flags),
        (a, b) => new PredictionFrame
        {
            Sequence = a.Item1,
            TimeMs = a.Item2,
            Status = (PredictionStatus)a.Item3,
            Probabilities = a.Item4,
            AnomalyLevel = a.Item5,
            Values = b.Item1,
            Flags = b.Item2,
        });

    public static readonly Gen<AlarmFrame> Alarm = Gen.Select(
        Gen.Select(Sequence, Gen.UInt, Gen.Bool, Gen.Int, Gen.Float, Gen.UInt),
        Flags,
        (a, flags) => new AlarmFrame
        {
            Sequence = a.Item1,
            TimeMs = a.Item2,
            Raised = a.Item3,
            ClassIndex = a.Item4,
            Score = a.Item5,
            DurationMs = a.Item6,
            Flags = flags,
        });

    public static readonly Gen<HealthFrame> Health = Gen.Select(
        Gen.Select(Sequence, Gen.UInt, Gen.UInt, Gen.ULong, Gen.UInt, Gen.UInt.Array[0, 32]),
        Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt, Gen.Int.Nullable()),
        Gen.Select(Gen.UInt, Gen.ULong, Gen.UInt, Flags, Gen.Select(Gen.UInt.Array[0, 8], Gen.UInt.Array[0, 8], Gen.UInt),
            AnyFloat.Array[0, 16]),
        (a, b, c) => new HealthFrame
        {
            Sequence = a.Item1,
            TimeMs = a.Item2,
            UptimeSeconds = a.Item3,
            SamplesRead = a.Item4,
            Overruns = a.Item5,
            ChannelReadErrors = a.Item6,
            InferenceP50Us = b.Item1,
            InferenceP99Us = b.Item2,
            InferenceMaxUs = b.Item3,
            SendQueueDepth = b.Item4,
            SendQueueDrops = b.Item5,
            CpuTemperatureMilliCelsius = b.Item6,
            JournalBacklog = c.Item1,
            JournalEvictions = c.Item2,
            JournalDamaged = c.Item3,
            Flags = c.Item4,
            ChannelReadTimeouts = c.Item5.Item1,
            ChannelNonFinite = c.Item5.Item2,
            ModelResets = c.Item5.Item3,
            AlarmThresholds = c.Item6,
        });

    public static readonly Gen<AckFrame> Ack = Gen.Select(Sequence, Gen.ULong, Gen.Frequency((3, Gen.Const((ulong?)null)), (1, Sequence.Select(s => (ulong?)s))),
        (highest, session, lowest) => new AckFrame { HighestSequence = highest, SessionId = session, LowestSequence = lowest });

    /// <summary>Any frame, boxed; predictions are the most common, as on a real link.</summary>
    public static readonly Gen<object> Any = Gen.Frequency(
        (1, Hello.Select(f => (object)f)),
        (6, Prediction.Select(f => (object)f)),
        (2, Alarm.Select(f => (object)f)),
        (2, Health.Select(f => (object)f)),
        (1, Ack.Select(f => (object)f)));

    public static byte[] Framed(object frame) => frame switch
    {
        HelloFrame f => ExampleFrames.Framed(f),
        PredictionFrame f => ExampleFrames.Framed(f),
        AlarmFrame f => ExampleFrames.Framed(f),
        HealthFrame f => ExampleFrames.Framed(f),
        AckFrame f => ExampleFrames.Framed(f),
        _ => throw new ArgumentException($"not a frame: {frame}", nameof(frame)),
    };

    public static byte[] Payload(object frame) => frame switch
    {
        HelloFrame f => ExampleFrames.Payload(f),
        PredictionFrame f => ExampleFrames.Payload(f),
        AlarmFrame f => ExampleFrames.Payload(f),
        HealthFrame f => ExampleFrames.Payload(f),
        AckFrame f => ExampleFrames.Payload(f),
        _ => throw new ArgumentException($"not a frame: {frame}", nameof(frame)),
    };
}
