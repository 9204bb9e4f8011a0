using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using EdgeLstm.Core.Model;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Sinks;

namespace EdgeLstm.Runtime.Frames;

/// <summary>
/// Numbers each outgoing frame, encodes its payload once, appends it to the journal (where acknowledged-delivery
/// sinks read it) and hands it, in only the forms they take, to the direct sinks (stdout, file, UDP). Every frame,
/// Hello included, takes the next number of one 64-bit counter, which continues from the journal across restarts.
/// Times are milliseconds since the run started; before a 32-bit offset from the Hello's epoch would wrap, the
/// Hello is sent again with a later epoch. Allocation-free per frame (Hello aside).
/// </summary>
internal sealed class FrameEmitter : IDisposable
{
    /// <summary>How far a frame's time may get from its Hello's epoch: a day short of the 32-bit wrap (49.7 days).</summary>
    public const long DefaultRebaseAfterMs = uint.MaxValue - 86_400_000L;

    private readonly FrameSink[] _direct;
    private readonly FrameSink[] _all;
    private readonly FrameJournal? _journal;
    private readonly bool _anyText;
    private readonly bool _anyStream;
    private readonly bool _anyDatagram;
    private readonly StreamFrameEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _payload = new(512);
    private readonly ArrayBufferWriter<byte> _stream = new(512);
    private readonly byte[] _text = new byte[8192];
    private IReadOnlyList<string> _outputNames;
    private byte[] _probabilities;
    private float[] _values;
    private readonly long _rebaseAfterMs;
    private HelloFrame _hello;
    private bool _helloSent;
    private long _epochOffsetMs;     // ms since the run started at which the current Hello's epoch lies
    private ulong _sequence;
    private long _emitted;

    /// <summary>
    /// Emits to <paramref name="sinks"/> (which it owns) and, when given, <paramref name="journal"/> (which it does not).
    /// A classifier's outputs go out as probabilities, a regressor's or forecaster's as values.
    /// </summary>
    public FrameEmitter(IReadOnlyList<FrameSink> sinks, FrameJournal? journal, IReadOnlyList<string> outputNames, OutputKind outputKind,
        long rebaseAfterMs = DefaultRebaseAfterMs)
    {
        _all = [.. sinks];
        _direct = [.. sinks.Where(s => s.Form != FrameForm.Journal)];
        if (_direct.Length < _all.Length && journal is null)
            throw new ArgumentException("acknowledged-delivery sinks read the journal, so they need one", nameof(journal));
        _journal = journal;
        _anyText = _direct.Any(s => s.Form == FrameForm.Text);
        _anyStream = _direct.Any(s => s.Form == FrameForm.Stream);
        _anyDatagram = _direct.Any(s => s.Form == FrameForm.Datagram);
        _outputNames = outputNames;
        _probabilities = new byte[outputKind == OutputKind.Classifier ? outputNames.Count : 0];
        _values = new float[outputKind == OutputKind.Classifier ? 0 : outputNames.Count];
        _rebaseAfterMs = rebaseAfterMs;
        _sequence = journal?.NextSequence ?? 0;
    }

    /// <summary>Emits to sinks without a journal (none of them may be an acknowledged-delivery sink).</summary>
    public FrameEmitter(IReadOnlyList<FrameSink> sinks, IReadOnlyList<string> outputNames, bool carriesProbabilities)
        : this(sinks, null, outputNames, carriesProbabilities ? OutputKind.Classifier : OutputKind.Regressor)
    {
    }

    /// <summary>Every sink, direct and acknowledged.</summary>
    public IReadOnlyList<FrameSink> Sinks => _all;

    /// <summary>The journal frames are appended to, or null.</summary>
    public FrameJournal? Journal => _journal;

    /// <summary>Frames emitted by this run.</summary>
    public long FramesEmitted => _emitted;

    /// <summary>The sequence number the next frame gets.</summary>
    public ulong NextSequence => _sequence;

    /// <summary>Frames waiting in the direct sinks' queues.</summary>
    public int QueueDepth
    {
        get
        {
            int depth = 0;
            foreach (FrameSink sink in _direct) depth += sink.QueueDepth;
            return depth;
        }
    }

    /// <summary>Frames lost on the way out: dropped by direct sinks, and refused by the journal (its queue full or the disk failing).</summary>
    public long Drops
    {
        get
        {
            long drops = _journal?.Counters.Dropped ?? 0;
            foreach (FrameSink sink in _direct) drops += sink.Drops;
            return drops;
        }
    }

    /// <summary>Sends the session's Hello; its epoch is the run's start. It takes the next sequence number.</summary>
    public void EmitHello(in HelloFrame hello)
    {
        _hello = hello;
        _epochOffsetMs = 0;
        _helloSent = true;
        SendHello();
    }

    private void SendHello()
    {
        HelloFrame hello = _hello with { Sequence = _sequence, EpochUnixMs = _hello.EpochUnixMs + (ulong)_epochOffsetMs };
        int length = 0;
        if (_anyText)
        {
            var line = new StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"hello #{hello.Sequence} device={hello.DeviceId} session={hello.SessionId:x16} firmware={hello.FirmwareVersion} model={hello.ModelId} rate={hello.SampleRateHz} Hz protocol={hello.ProtocolVersion}\n");
            line.Append(CultureInfo.InvariantCulture, $"      channels: {string.Join(", ", hello.ChannelNames)}\n");
            line.Append(CultureInfo.InvariantCulture, $"      outputs:  {string.Join(", ", hello.OutputLabels)}\n");
            length = Encoding.UTF8.GetBytes(line.ToString(), _text);
        }
        Send(hello, length);
    }

    /// <summary>
    /// The frame's offset from its Hello's epoch. Before it would pass <see cref="DefaultRebaseAfterMs"/>, a new
    /// Hello (same session, epoch moved to now) goes out first, so no offset ever wraps.
    /// </summary>
    private uint Offset(long elapsedMs)
    {
        if (_helloSent && elapsedMs - _epochOffsetMs > _rebaseAfterMs)
        {
            _epochOffsetMs = elapsedMs;
            SendHello();
        }
        return (uint)Math.Clamp(elapsedMs - _epochOffsetMs, 0, uint.MaxValue);
    }

    /// <summary>
    /// Emits a prediction at <paramref name="elapsedMs"/> since the run started. <paramref name="outputs"/> are the
    /// model outputs (probabilities for a classifier, values otherwise); <paramref name="score"/> the rule score
    /// before quantization, shown in text; <paramref name="anomaly"/> the score mapped to [0, 1] for the wire;
    /// <paramref name="modelReset"/> says the outputs were not finite and the model's state was reset (implies degraded).
    /// </summary>
    public void EmitPrediction(long elapsedMs, ReadOnlySpan<float> outputs, float score, float anomaly, bool degraded, bool modelReset = false)
    {
        uint timeMs = Offset(elapsedMs);
        if (_probabilities.Length > 0) Quantization.ToProbabilityBytes(outputs[.._probabilities.Length], _probabilities);
        if (_values.Length > 0) outputs[.._values.Length].CopyTo(_values);
        var frame = new PredictionFrame
        {
            Sequence = _sequence,
            TimeMs = timeMs,
            Status = modelReset ? PredictionStatus.Degraded | PredictionStatus.ModelReset
                : degraded ? PredictionStatus.Degraded : PredictionStatus.None,
            Probabilities = _probabilities,
            AnomalyLevel = Quantization.ToAnomalyLevel(Math.Clamp(float.IsFinite(anomaly) ? anomaly : 0f, 0f, 1f)),
            Values = _values,
        };
        int length = 0;
        if (_anyText)
        {
            Span<byte> text = _text;
            Utf8.TryWrite(text, CultureInfo.InvariantCulture, $"{elapsedMs / 1000.0,10:F3}s  #{_sequence,-6} score {score,8:F4}", out length);
            int shown = Math.Min(outputs.Length, 8);
            for (int i = 0; i < shown; i++)
            {
                Utf8.TryWrite(text[length..], CultureInfo.InvariantCulture, $"  {_outputNames[i]} {outputs[i]:F3}", out int n);
                length += n;
            }
            if (modelReset)
            {
                "  MODEL RESET (output not finite)"u8.CopyTo(text[length..]);
                length += 33;
            }
            else if (degraded)
            {
                "  DEGRADED"u8.CopyTo(text[length..]);
                length += 10;
            }
            text[length++] = (byte)'\n';
        }
        Send(frame, length);
    }

    /// <summary>Emits an alarm raised or cleared at <paramref name="elapsedMs"/> since the run started.</summary>
    public void EmitAlarm(long elapsedMs, bool raised, int classIndex, string name, float score, uint durationMs, bool degraded = false)
    {
        var frame = new AlarmFrame
        {
            Sequence = _sequence,
            TimeMs = Offset(elapsedMs),
            Raised = raised,
            ClassIndex = classIndex,
            Score = score,
            DurationMs = durationMs,
            Degraded = degraded,
        };
        int length = 0;
        if (_anyText)
        {
            Utf8.TryWrite(_text, CultureInfo.InvariantCulture,
                $"{elapsedMs / 1000.0,10:F3}s  #{_sequence,-6} ALARM {(raised ? "RAISED " : "cleared")} {name}: score {score:F4}, condition lasted {durationMs / 1000.0:F1}s{(degraded ? " (on degraded input)" : "")}\n",
                out length);
        }
        Send(frame, length);
    }

    /// <summary>Emits <paramref name="health"/> (its sequence and time are filled in here) at <paramref name="elapsedMs"/> since the run started.</summary>
    public void EmitHealth(HealthFrame health, long elapsedMs)
    {
        health = health with { Sequence = _sequence, TimeMs = Offset(elapsedMs) };
        int length = 0;
        if (_anyText)
        {
            Span<byte> text = _text;
            Utf8.TryWrite(text, CultureInfo.InvariantCulture,
                $"{elapsedMs / 1000.0,10:F3}s  #{_sequence,-6} health: up {health.UptimeSeconds}s, {health.SamplesRead} samples, {health.Overruns} overruns, inference p50 {health.InferenceP50Us} µs p99 {health.InferenceP99Us} µs max {health.InferenceMaxUs} µs, queue {health.SendQueueDepth}, drops {health.SendQueueDrops}, journal backlog {health.JournalBacklog} evicted {health.JournalEvictions}, read errors",
                out length);
            length += WriteCounts(text[length..], ""u8, health.ChannelReadErrors.Span);
            if (health.ChannelReadTimeouts.Span.ContainsAnyExcept(0u)) length += WriteCounts(text[length..], ", read timeouts"u8, health.ChannelReadTimeouts.Span);
            if (health.ChannelNonFinite.Span.ContainsAnyExcept(0u)) length += WriteCounts(text[length..], ", not finite"u8, health.ChannelNonFinite.Span);
            if (health.ModelResets > 0)
            {
                Utf8.TryWrite(text[length..], CultureInfo.InvariantCulture, $", model resets {health.ModelResets}", out int n);
                length += n;
            }
            ReadOnlySpan<float> thresholds = health.AlarmThresholds.Span;
            if (thresholds.Length > 0 && ", thresholds"u8.TryCopyTo(text[length..]))
            {
                length += 12;
                for (int t = 0; t + 1 < thresholds.Length; t += 2)
                {
                    if (!Utf8.TryWrite(text[length..], CultureInfo.InvariantCulture, $" {thresholds[t]:G5}/{thresholds[t + 1]:G5}", out int n)) break;
                    length += n;
                }
            }
            if (health.CpuTemperatureMilliCelsius is int milli)
            {
                Utf8.TryWrite(text[length..], CultureInfo.InvariantCulture, $", cpu {milli / 1000.0:F1} °C", out int n);
                length += n;
            }
            length = Math.Min(length, text.Length - 1); // thousands of channels: cut the line, never the frame
            text[length++] = (byte)'\n';
        }
        Send(health, length);
    }

    /// <summary>Writes a label and one count per channel, as far as they fit; returns the bytes written.</summary>
    private static int WriteCounts(Span<byte> text, ReadOnlySpan<byte> label, ReadOnlySpan<uint> counts)
    {
        if (!label.TryCopyTo(text)) return 0;
        int length = label.Length;
        foreach (uint count in counts)
        {
            if (!Utf8.TryWrite(text[length..], CultureInfo.InvariantCulture, $" {count}", out int n)) break;
            length += n;
        }
        return length;
    }

    private void Send<TFrame>(in TFrame frame, int textLength) where TFrame : IWireFrame
    {
        _payload.ResetWrittenCount();
        PayloadEncoder.Write(frame, _payload);
        ReadOnlySpan<byte> payload = _payload.WrittenSpan;
        _journal?.Append(frame.Type, _sequence, payload);
        if (_direct.Length > 0)
        {
            ReadOnlySpan<byte> stream = default;
            if (_anyStream)
            {
                _stream.ResetWrittenCount();
                _encoder.WritePayload(payload, _stream);
                stream = _stream.WrittenSpan;
            }
            var outgoing = new OutgoingFrame(frame.Type, stream, _anyDatagram ? payload : default, _text.AsSpan(0, textLength));
            foreach (FrameSink sink in _direct) sink.Write(outgoing);
        }
        _sequence++;
        _emitted++;
    }

    /// <summary>
    /// Emits an Event (a remote update applied, refused or rolled back) at <paramref name="elapsedMs"/> since the run
    /// started. Off the hot path: it formats text and allocates.
    /// </summary>
    public void EmitEvent(long elapsedMs, BoardEventKind kind, ulong updateVersion, string modelId, string message)
    {
        var frame = new EventFrame { Sequence = _sequence, TimeMs = Offset(elapsedMs), Kind = kind, UpdateVersion = updateVersion, ModelId = modelId, Message = message };
        int length = 0;
        if (_anyText)
        {
            string what = kind switch { BoardEventKind.UpdateApplied => "UPDATE APPLIED", BoardEventKind.UpdateRefused => "UPDATE REFUSED", _ => "UPDATE ROLLED BACK" };
            string line = string.Create(CultureInfo.InvariantCulture, $"{elapsedMs / 1000.0,10:F3}s  #{_sequence,-6} {what} (version {updateVersion}, model {modelId}): {message}\n");
            length = Encoding.UTF8.GetBytes(line.AsSpan(0, Math.Min(line.Length, _text.Length / 4)), _text);
        }
        Send(frame, length);
    }

    /// <summary>The outputs Predictions carry from now on (a remote update swapped the model), then the new model's Hello.</summary>
    public void ChangeModel(IReadOnlyList<string> outputNames, OutputKind outputKind, in HelloFrame hello)
    {
        _outputNames = outputNames;
        _probabilities = new byte[outputKind == OutputKind.Classifier ? outputNames.Count : 0];
        _values = new float[outputKind == OutputKind.Classifier ? 0 : outputNames.Count];
        EmitHello(hello);
    }

    /// <summary>The Hello this run sent last (its session, epoch and model).</summary>
    public HelloFrame Hello => _hello;

    /// <summary>Flushes every sink (direct sinks write out their queues; delivery sinks wait briefly for Acks).</summary>
    public void Flush()
    {
        foreach (FrameSink sink in _direct) sink.Flush();
        _journal?.Flush(TimeSpan.FromSeconds(5));
        foreach (FrameSink sink in _all) if (sink.Form == FrameForm.Journal) sink.Flush();
    }

    public void Dispose()
    {
        foreach (FrameSink sink in _all) sink.Dispose();
    }
}
