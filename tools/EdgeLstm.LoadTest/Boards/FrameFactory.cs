using System.Buffers;
using EdgeLstm.Protocol;

namespace EdgeLstm.LoadTest.Boards;

/// <summary>
/// Builds one board's frames as the runtime would (a 2-channel vibration model with 4 classes) and encodes each to its
/// bare MessagePack payload, the MQTT binding's message body. Sequences and times are the caller's.
/// </summary>
internal sealed class FrameFactory(string deviceId, ulong sessionId, ulong epochUnixMs)
{
    private static readonly string[] Channels = ["vib_x", "vib_y"];
    private static readonly string[] Labels = ["normal", "imbalance", "misalignment", "bearing"];
    private readonly ArrayBufferWriter<byte> _buffer = new(64);
    private bool _alarmRaised;

    /// <summary>The Hello's epoch: every later frame's time is milliseconds since it.</summary>
    public ulong EpochUnixMs => epochUnixMs;

    /// <summary>The Hello that opens the session (sequence 0).</summary>
    public byte[] Hello(ulong sequence) => Encode(new HelloFrame
    {
        ProtocolVersion = ProtocolInfo.Version,
        DeviceId = deviceId,
        FirmwareVersion = "loadtest",
        ModelId = "bearing-lstm@load",
        ChannelNames = Channels,
        OutputLabels = Labels,
        SampleRateHz = 100,
        EpochUnixMs = epochUnixMs,
        SessionId = sessionId,
        Sequence = sequence,
    });

    /// <summary>A Prediction: mostly "normal", probabilities summing to 255.</summary>
    public byte[] Prediction(ulong sequence, uint timeMs) => Encode(new PredictionFrame
    {
        Sequence = sequence,
        TimeMs = timeMs,
        Probabilities = new byte[] { 240, 8, 4, 3 },
        AnomalyLevel = (byte)(sequence % 16),
        Values = ReadOnlyMemory<float>.Empty,
    });

    /// <summary>A Health frame with plausible counters.</summary>
    public byte[] Health(ulong sequence, uint timeMs) => Encode(new HealthFrame
    {
        Sequence = sequence,
        TimeMs = timeMs,
        UptimeSeconds = timeMs / 1000,
        SamplesRead = timeMs / 10,
        ChannelReadErrors = new uint[] { 0, 0 },
        ChannelReadTimeouts = new uint[] { 0, 0 },
        ChannelNonFinite = new uint[] { 0, 0 },
        InferenceP50Us = 900,
        InferenceP99Us = 1400,
        InferenceMaxUs = 2100,
        CpuTemperatureMilliCelsius = 51_500,
    });

    /// <summary>The next Alarm change: a raise, then its clear, alternately.</summary>
    public byte[] Alarm(ulong sequence, uint timeMs)
    {
        _alarmRaised = !_alarmRaised;
        return Encode(new AlarmFrame { Sequence = sequence, TimeMs = timeMs, Raised = _alarmRaised, ClassIndex = 3, Score = 0.93f, DurationMs = _alarmRaised ? 0u : 2000u });
    }

    private byte[] Encode<TFrame>(in TFrame frame) where TFrame : IWireFrame
    {
        _buffer.ResetWrittenCount();
        PayloadEncoder.Write(frame, _buffer);
        return _buffer.WrittenSpan.ToArray();
    }
}
