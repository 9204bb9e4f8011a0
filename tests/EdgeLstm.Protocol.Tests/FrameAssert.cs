namespace EdgeLstm.Protocol.Tests;

/// <summary>Field-by-field equality for frames (their array members compare by reference otherwise).</summary>
internal static class FrameAssert
{
    public static void Equal(HelloFrame expected, HelloFrame actual)
    {
        Assert.Equal(expected.ProtocolVersion, actual.ProtocolVersion);
        Assert.Equal(expected.DeviceId ?? "", actual.DeviceId);
        Assert.Equal(expected.FirmwareVersion ?? "", actual.FirmwareVersion);
        Assert.Equal(expected.ModelId ?? "", actual.ModelId);
        Assert.Equal(expected.ChannelNames ?? [], actual.ChannelNames);
        Assert.Equal(expected.OutputLabels ?? [], actual.OutputLabels);
        Assert.Equal(expected.SampleRateHz, actual.SampleRateHz);
        Assert.Equal(expected.EpochUnixMs, actual.EpochUnixMs);
        Assert.Equal(expected.SessionId, actual.SessionId);
        Assert.Equal(expected.Sequence, actual.Sequence);
    }

    public static void Equal(PredictionFrame expected, PredictionFrame actual)
    {
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.TimeMs, actual.TimeMs);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Probabilities.ToArray(), actual.Probabilities.ToArray());
        Assert.Equal(expected.AnomalyLevel, actual.AnomalyLevel);
        Assert.Equal(Bits(expected.Values), Bits(actual.Values));
        Assert.Equal(expected.Flags, actual.Flags);
    }

    public static void Equal(AlarmFrame expected, AlarmFrame actual)
    {
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.TimeMs, actual.TimeMs);
        Assert.Equal(expected.Raised, actual.Raised);
        Assert.Equal(expected.ClassIndex, actual.ClassIndex);
        Assert.Equal(expected.Score, actual.Score);
        Assert.Equal(expected.DurationMs, actual.DurationMs);
        Assert.Equal(expected.Flags, actual.Flags);
    }

    public static void Equal(HealthFrame expected, HealthFrame actual)
    {
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.TimeMs, actual.TimeMs);
        Assert.Equal(expected.UptimeSeconds, actual.UptimeSeconds);
        Assert.Equal(expected.SamplesRead, actual.SamplesRead);
        Assert.Equal(expected.Overruns, actual.Overruns);
        Assert.Equal(expected.ChannelReadErrors.ToArray(), actual.ChannelReadErrors.ToArray());
        Assert.Equal(expected.InferenceP50Us, actual.InferenceP50Us);
        Assert.Equal(expected.InferenceP99Us, actual.InferenceP99Us);
        Assert.Equal(expected.InferenceMaxUs, actual.InferenceMaxUs);
        Assert.Equal(expected.SendQueueDepth, actual.SendQueueDepth);
        Assert.Equal(expected.SendQueueDrops, actual.SendQueueDrops);
        Assert.Equal(expected.CpuTemperatureMilliCelsius, actual.CpuTemperatureMilliCelsius);
        Assert.Equal(expected.JournalBacklog, actual.JournalBacklog);
        Assert.Equal(expected.JournalEvictions, actual.JournalEvictions);
        Assert.Equal(expected.JournalDamaged, actual.JournalDamaged);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.ChannelReadTimeouts.ToArray(), actual.ChannelReadTimeouts.ToArray());
        Assert.Equal(expected.ChannelNonFinite.ToArray(), actual.ChannelNonFinite.ToArray());
        Assert.Equal(expected.ModelResets, actual.ModelResets);
        Assert.Equal(expected.AlarmThresholds.ToArray(), actual.AlarmThresholds.ToArray());
    }

    public static void Equal(AckFrame expected, AckFrame actual)
    {
        Assert.Equal(expected.HighestSequence, actual.HighestSequence);
        Assert.Equal(expected.SessionId, actual.SessionId);
        Assert.Equal(expected.LowestSequence, actual.LowestSequence);
    }

    /// <summary>Asserts that <paramref name="result"/> is a decoded frame of the same type and values as <paramref name="expected"/>.</summary>
    public static void Decoded(object expected, DecodeResult result)
    {
        Assert.True(result.IsFrame, $"expected a frame, got: {result}");
        switch (expected)
        {
            case HelloFrame hello: Equal(hello, result.Hello); break;
            case PredictionFrame prediction: Equal(prediction, result.Prediction); break;
            case AlarmFrame alarm: Equal(alarm, result.Alarm); break;
            case HealthFrame health: Equal(health, result.Health); break;
            case AckFrame ack: Equal(ack, result.Ack); break;
            default: throw new ArgumentException($"not a frame: {expected}", nameof(expected));
        }
    }

    /// <summary>The bit patterns of float values, so that NaN payloads, infinities and −0 compare exactly.</summary>
    public static int[] Bits(ReadOnlyMemory<float> values) => [.. values.ToArray().Select(BitConverter.SingleToInt32Bits)];

    /// <summary>Asserts a <see cref="DecodeStatus.Malformed"/> result of the given kind and returns its error.</summary>
    public static FrameError Malformed(DecodeResult result, FrameErrorKind kind)
    {
        Assert.True(result.Status == DecodeStatus.Malformed, $"expected a {kind} error, got: {result}");
        Assert.True(result.Error.Kind == kind, $"expected a {kind} error, got: {result.Error}");
        return result.Error;
    }
}
