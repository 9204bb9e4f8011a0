using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Sinks;

namespace EdgeLstm.Runtime.Frames;

/// <summary>
/// Builds each outgoing frame once, in only the forms its sinks take (framed for streams, as a datagram, as a
/// readable line), and hands it to every sink. Frames share one sequence counter. Allocation-free per frame (Hello aside).
/// </summary>
internal sealed class FrameEmitter : IDisposable
{
    private readonly FrameSink[] _sinks;
    private readonly bool _anyText;
    private readonly bool _anyStream;
    private readonly bool _anyDatagram;
    private readonly StreamFrameEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _stream = new(512);
    private readonly ArrayBufferWriter<byte> _datagram = new(512);
    private readonly byte[] _text = new byte[8192];
    private readonly IReadOnlyList<string> _outputNames;
    private readonly byte[] _probabilities;
    private ulong _sequence;

    public FrameEmitter(IReadOnlyList<FrameSink> sinks, IReadOnlyList<string> outputNames, bool carriesProbabilities)
    {
        _sinks = [.. sinks];
        _anyText = _sinks.Any(s => s.Form == FrameForm.Text);
        _anyStream = _sinks.Any(s => s.Form == FrameForm.Stream);
        _anyDatagram = _sinks.Any(s => s.Form == FrameForm.Datagram);
        _outputNames = outputNames;
        _probabilities = new byte[carriesProbabilities ? outputNames.Count : 0];
    }

    /// <summary>The sinks frames go to.</summary>
    public IReadOnlyList<FrameSink> Sinks => _sinks;

    /// <summary>Frames emitted so far.</summary>
    public ulong FramesEmitted => _sequence;

    /// <summary>Total frames queued in sinks.</summary>
    public int QueueDepth
    {
        get
        {
            int depth = 0;
            foreach (FrameSink sink in _sinks) depth += sink.QueueDepth;
            return depth;
        }
    }

    /// <summary>Total frames the sinks dropped.</summary>
    public long Drops
    {
        get
        {
            long drops = 0;
            foreach (FrameSink sink in _sinks) drops += sink.Drops;
            return drops;
        }
    }

    public void EmitHello(in HelloFrame hello)
    {
        int length = 0;
        if (_anyText)
        {
            var line = new StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"hello device={hello.DeviceId} firmware={hello.FirmwareVersion} model={hello.ModelId} rate={hello.SampleRateHz} Hz protocol={hello.ProtocolVersion}\n");
            line.Append(CultureInfo.InvariantCulture, $"      channels: {string.Join(", ", hello.ChannelNames)}\n");
            line.Append(CultureInfo.InvariantCulture, $"      outputs:  {string.Join(", ", hello.OutputLabels)}\n");
            length = Encoding.UTF8.GetBytes(line.ToString(), _text);
        }
        Send(hello, _text.AsSpan(0, length));
    }

    /// <summary>
    /// Emits a prediction. <paramref name="outputs"/> are the model outputs (probabilities when the frame carries
    /// them); <paramref name="score"/> the rule score before quantization, shown in text; <paramref name="anomaly"/>
    /// the score mapped to [0, 1] for the wire.
    /// </summary>
    public void EmitPrediction(uint timeMs, ReadOnlySpan<float> outputs, float score, float anomaly, bool degraded)
    {
        if (_probabilities.Length > 0) Quantization.ToProbabilityBytes(outputs[.._probabilities.Length], _probabilities);
        var frame = new PredictionFrame
        {
            Sequence = _sequence,
            TimeMs = timeMs,
            Status = degraded ? PredictionStatus.Degraded : PredictionStatus.None,
            Probabilities = _probabilities,
            AnomalyLevel = Quantization.ToAnomalyLevel(Math.Clamp(float.IsFinite(anomaly) ? anomaly : 0f, 0f, 1f)),
        };
        int length = 0;
        if (_anyText)
        {
            Span<byte> text = _text;
            Utf8.TryWrite(text, CultureInfo.InvariantCulture, $"{timeMs / 1000.0,10:F3}s  #{_sequence,-6} score {score,8:F4}", out length);
            int shown = Math.Min(outputs.Length, 8);
            for (int i = 0; i < shown; i++)
            {
                Utf8.TryWrite(text[length..], CultureInfo.InvariantCulture, $"  {_outputNames[i]} {outputs[i]:F3}", out int n);
                length += n;
            }
            if (degraded)
            {
                "  DEGRADED"u8.CopyTo(text[length..]);
                length += 10;
            }
            text[length++] = (byte)'\n';
        }
        Send(frame, _text.AsSpan(0, length));
    }

    public void EmitAlarm(uint timeMs, bool raised, int classIndex, string name, float score, uint durationMs)
    {
        var frame = new AlarmFrame
        {
            Sequence = _sequence,
            TimeMs = timeMs,
            Raised = raised,
            ClassIndex = classIndex,
            Score = score,
            DurationMs = durationMs,
        };
        int length = 0;
        if (_anyText)
        {
            Utf8.TryWrite(_text, CultureInfo.InvariantCulture,
                $"{timeMs / 1000.0,10:F3}s  #{_sequence,-6} ALARM {(raised ? "RAISED " : "cleared")} {name}: score {score:F4}, condition lasted {durationMs / 1000.0:F1}s\n",
                out length);
        }
        Send(frame, _text.AsSpan(0, length));
    }

    public void EmitHealth(in HealthFrame health)
    {
        int length = 0;
        if (_anyText)
        {
            Span<byte> text = _text;
            Utf8.TryWrite(text, CultureInfo.InvariantCulture,
                $"{health.TimeMs / 1000.0,10:F3}s  #{_sequence,-6} health: up {health.UptimeSeconds}s, {health.SamplesRead} samples, {health.Overruns} overruns, inference p50 {health.InferenceP50Us} µs p99 {health.InferenceP99Us} µs max {health.InferenceMaxUs} µs, queue {health.SendQueueDepth}, drops {health.SendQueueDrops}, read errors",
                out length);
            foreach (uint errors in health.ChannelReadErrors.Span)
            {
                Utf8.TryWrite(text[length..], CultureInfo.InvariantCulture, $" {errors}", out int n);
                length += n;
            }
            if (health.CpuTemperatureMilliCelsius is int milli)
            {
                Utf8.TryWrite(text[length..], CultureInfo.InvariantCulture, $", cpu {milli / 1000.0:F1} °C", out int n);
                length += n;
            }
            text[length++] = (byte)'\n';
        }
        Send(health, _text.AsSpan(0, length));
    }

    private void Send<TFrame>(in TFrame frame, ReadOnlySpan<byte> text) where TFrame : IWireFrame
    {
        var outgoing = new OutgoingFrame(
            frame.Type,
            _anyStream ? EncodeStream(frame) : default,
            _anyDatagram ? EncodeDatagram(frame) : default,
            text);
        foreach (FrameSink sink in _sinks) sink.Write(outgoing);
        _sequence++;
    }

    private ReadOnlySpan<byte> EncodeStream<TFrame>(in TFrame frame) where TFrame : IWireFrame
    {
        _stream.ResetWrittenCount();
        _encoder.Write(frame, _stream);
        return _stream.WrittenSpan;
    }

    private ReadOnlySpan<byte> EncodeDatagram<TFrame>(in TFrame frame) where TFrame : IWireFrame
    {
        _datagram.ResetWrittenCount();
        DatagramFrames.Write(frame, _datagram);
        return _datagram.WrittenSpan;
    }

    /// <summary>Flushes every sink.</summary>
    public void Flush()
    {
        foreach (FrameSink sink in _sinks) sink.Flush();
    }

    public void Dispose()
    {
        foreach (FrameSink sink in _sinks) sink.Dispose();
    }
}
