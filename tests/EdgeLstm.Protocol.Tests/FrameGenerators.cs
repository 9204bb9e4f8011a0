using CsCheck;

namespace EdgeLstm.Protocol.Tests;

/// <summary>CsCheck generators of random valid frames, and helpers to encode a frame held as <see cref="object"/>.</summary>
internal static class FrameGenerators
{
    // Letters from ASCII to CJK, but no surrogates: every generated string is valid UTF-16 and so round-trips.
    private static readonly Gen<string> Text = Gen.OneOf(Gen.Char[' ', '~'], Gen.Char['\u00a0', '\ud7ff'])
        .Array[0, 24].Select(chars => new string(chars));

    public static readonly Gen<HelloFrame> Hello = Gen.Select(
        Gen.UShort, Text, Text, Text, Text.Array[0, 16], Text.Array[0, 16], Gen.Float, Gen.ULong,
        (version, device, firmware, model, channels, labels, rate, epoch) => new HelloFrame
        {
            ProtocolVersion = version,
            DeviceId = device,
            FirmwareVersion = firmware,
            ModelId = model,
            ChannelNames = channels,
            OutputLabels = labels,
            SampleRateHz = rate,
            EpochUnixMs = epoch,
        });

    public static readonly Gen<PredictionFrame> Prediction = Gen.Select(
        Gen.UInt, Gen.UInt, Gen.Byte[0, PredictionFrameFormatter.MaxStatus], Gen.Byte.Array[0, 64], Gen.Byte[0, Quantization.AnomalyScale],
        (sequence, time, status, probabilities, anomaly) => new PredictionFrame
        {
            Sequence = sequence,
            TimeMs = time,
            Status = (PredictionStatus)status,
            Probabilities = probabilities,
            AnomalyLevel = anomaly,
        });

    public static readonly Gen<AlarmFrame> Alarm = Gen.Select(
        Gen.UInt, Gen.UInt, Gen.Bool, Gen.Int, Gen.Float, Gen.UInt,
        (sequence, time, raised, classIndex, score, duration) => new AlarmFrame
        {
            Sequence = sequence,
            TimeMs = time,
            Raised = raised,
            ClassIndex = classIndex,
            Score = score,
            DurationMs = duration,
        });

    public static readonly Gen<HealthFrame> Health = Gen.Select(
        Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.ULong, Gen.UInt, Gen.UInt.Array[0, 32]),
        Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt, Gen.Int.Nullable()),
        (a, b) => new HealthFrame
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
        });

    public static readonly Gen<AckFrame> Ack = Gen.UInt.Select(highest => new AckFrame { HighestSequence = highest });

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
