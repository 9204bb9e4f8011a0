using System.Diagnostics;
using System.Text.Json;

namespace EdgeLstm.Protocol.Tests;

/// <summary>Runs only where Debian's /usr/bin/python3 with python3-msgpack exists (CI installs both).</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (PythonMsgpack.UnavailableReason is string reason)
        {
            Skip = reason;
        }
    }
}

internal static class PythonMsgpack
{
    public const string Interpreter = "/usr/bin/python3";

    public static string Script => Path.Combine(AppContext.BaseDirectory, "Python", "edgelstm_frames.py");

    public static string? UnavailableReason { get; } = Probe();

    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string errors = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"{Script} {string.Join(' ', arguments)} did not finish in 60 s");
        }

        Assert.True(process.ExitCode == 0, $"{Script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors}");
        return output.Result;
    }

    private static string? Probe()
    {
        if (!File.Exists(Interpreter))
        {
            return $"{Interpreter} is missing; install python3 and python3-msgpack (apt-get install -y python3-msgpack) to run the cross-language tests";
        }

        try
        {
            using Process process = Process.Start(new ProcessStartInfo(Interpreter, ["-c", "import msgpack"]) { RedirectStandardError = true })!;
            process.StandardError.ReadToEnd();
            process.WaitForExit(30_000);
            return process.ExitCode == 0 ? null : "python3-msgpack is missing; apt-get install -y python3-msgpack to run the cross-language tests";
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return $"{Interpreter} cannot run: {exception.Message}";
        }
    }
}

/// <summary>Frames written by C# are read by Python's msgpack with the same values, and the other way round.</summary>
public class PythonInteropTests
{
    private static readonly object[] CSharpFrames =
    [
        ExampleFrames.Hello,
        ExampleFrames.Prediction,
        ExampleFrames.PredictionWithValues,
        ExampleFrames.PredictionHistorical,
        ExampleFrames.Alarm,
        ExampleFrames.Health,
        ExampleFrames.Ack,
        ExampleFrames.Hello with
        {
            DeviceId = "pompe-n°7 ✓", ChannelNames = [], OutputLabels = ["正常"], SampleRateHz = 0.1f, EpochUnixMs = ulong.MaxValue,
            SessionId = ulong.MaxValue, Sequence = ulong.MaxValue,
        },
        new PredictionFrame
        {
            Sequence = ulong.MaxValue, TimeMs = uint.MaxValue, Status = PredictionStatus.Degraded, Probabilities = new byte[] { 0, 127, 128, 255 }, AnomalyLevel = 127,
            Values = new float[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue, -0f, -87.25f },
            Flags = FrameFlags.Historical | (FrameFlags)0x40,
        },
        new PredictionFrame { Probabilities = Array.Empty<byte>() },
        new AlarmFrame { Sequence = 1, Raised = false, ClassIndex = AlarmFrame.AnomalyClassIndex, Score = -1.5e-7f, DurationMs = uint.MaxValue, Flags = FrameFlags.Historical },
        ExampleFrames.Health with
        {
            CpuTemperatureMilliCelsius = null, SamplesRead = ulong.MaxValue, ChannelReadErrors = new uint[] { uint.MaxValue },
            JournalBacklog = uint.MaxValue, JournalEvictions = ulong.MaxValue, JournalDamaged = uint.MaxValue, Flags = FrameFlags.Historical,
            AlarmThresholds = new[] { float.NaN, float.NaN, float.PositiveInfinity, -0.5f },
        },
        ExampleFrames.Health with { CpuTemperatureMilliCelsius = -12_500 },
        new AckFrame { HighestSequence = ulong.MaxValue, SessionId = ulong.MaxValue },
        ExampleFrames.AckRange,
        new AckFrame(),
    ];

    [PythonFact]
    public void Python_msgpack_reads_every_frame_the_CSharp_encoder_writes()
    {
        string path = Path.GetTempFileName();
        try
        {
            var stream = new List<byte>();
            foreach (object frame in CSharpFrames)
            {
                stream.AddRange(FrameGenerators.Framed(frame));
            }

            // A damaged frame in the middle: Python's own CRC check must reject it too.
            byte[] damaged = FrameGenerators.Framed(ExampleFrames.Ack);
            damaged[3] ^= 0x01;
            stream.InsertRange(FrameGenerators.Framed(CSharpFrames[0]).Length, damaged);
            File.WriteAllBytes(path, stream.ToArray());

            string[] lines = PythonMsgpack.Run("decode", path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

            Assert.Equal(CSharpFrames.Length + 1, lines.Length);
            Assert.Equal("{\"error\": \"framing\"}", lines[1]);
            string[] frameLines = [lines[0], .. lines[2..]];
            for (int i = 0; i < CSharpFrames.Length; i++)
            {
                using JsonDocument json = JsonDocument.Parse(frameLines[i]);
                AssertSameValues(CSharpFrames[i], json.RootElement);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [PythonFact]
    public async Task CSharp_decoder_reads_every_frame_Python_msgpack_writes()
    {
        string path = Path.GetTempFileName();
        try
        {
            PythonMsgpack.Run("encode", path);
            var results = new List<DecodeResult>();
            await using (FileStream file = File.OpenRead(path))
            {
                await foreach (DecodeResult result in FrameStreamReader.ReadAllAsync(file))
                {
                    results.Add(result);
                }
            }

            Assert.Equal(11, results.Count);
            FrameAssert.Decoded(
                new HelloFrame
                {
                    ProtocolVersion = 2,
                    DeviceId = "py-board",
                    FirmwareVersion = "py-1.2",
                    ModelId = "model-é",
                    ChannelNames = ["a", "b"],
                    OutputLabels = ["rul", "fault"],
                    SampleRateHz = 12.5f,
                    EpochUnixMs = 1_795_845_600_123,
                    SessionId = ulong.MaxValue,
                    Sequence = 69_999,
                },
                results[0]);

            // Python writes float64; NaN and the infinities arrive as float32 ones (Python's NaN is the positive quiet
            // NaN, 0x7FC00000 as float32, where .NET's float.NaN has the sign bit set).
            FrameAssert.Decoded(
                new PredictionFrame
                {
                    Sequence = 70000, TimeMs = 4_000_000_000, Status = PredictionStatus.Degraded, Probabilities = new byte[] { 200, 55 }, AnomalyLevel = 127,
                    Values = new float[] { 87.5f, -0.25f, BitConverter.Int32BitsToSingle(0x7FC0_0000), float.PositiveInfinity, float.NegativeInfinity },
                },
                results[1]);
            FrameAssert.Decoded(
                new PredictionFrame { Sequence = ulong.MaxValue, TimeMs = 5, Probabilities = Array.Empty<byte>(), Flags = FrameFlags.Historical },
                results[2]);
            FrameAssert.Decoded(
                new AlarmFrame { Sequence = 70001, TimeMs = 5, Raised = false, ClassIndex = -1, Score = 0.25f, DurationMs = 0, Flags = FrameFlags.Historical },
                results[3]);
            FrameAssert.Decoded(
                new HealthFrame
                {
                    Sequence = 70002, TimeMs = 6, UptimeSeconds = 7, SamplesRead = 1UL << 40, Overruns = 8, ChannelReadErrors = new uint[] { 1, uint.MaxValue },
                    InferenceP50Us = 9, InferenceP99Us = 10, InferenceMaxUs = 11, SendQueueDepth = 12, SendQueueDrops = 13, CpuTemperatureMilliCelsius = -1500,
                    JournalBacklog = uint.MaxValue, JournalEvictions = ulong.MaxValue, JournalDamaged = 3, Flags = FrameFlags.Historical,
                    ChannelReadTimeouts = Array.Empty<uint>(), ChannelNonFinite = Array.Empty<uint>(), AlarmThresholds = new[] { float.NaN, float.NaN, 0.75f, 0.5f },
                },
                results[4]);
            Assert.Null(results[5].Health.CpuTemperatureMilliCelsius);
            Assert.Equal((0u, FrameFlags.None), (results[5].Health.JournalBacklog, results[5].Health.Flags));
            Assert.Equal(DecodeStatus.UnknownFrameType, results[6].Status);
            Assert.Equal(99, results[6].TypeTag);
            FrameAssert.Decoded(new AckFrame { HighestSequence = ulong.MaxValue, SessionId = 1UL << 63, LowestSequence = 1UL << 62 }, results[7]);

            // Version-1 frames from Python: the fields version 2 appended take their defaults.
            FrameAssert.Decoded(
                new HelloFrame
                {
                    ProtocolVersion = 1, DeviceId = "old-board", FirmwareVersion = "0.0.9", ModelId = "m", ChannelNames = [], OutputLabels = [],
                    SampleRateHz = 1f, EpochUnixMs = 5,
                },
                results[8]);
            FrameAssert.Decoded(new PredictionFrame { Sequence = 7, TimeMs = 8, Probabilities = new byte[] { 255 }, AnomalyLevel = 3 }, results[9]);
            FrameAssert.Decoded(new AckFrame { HighestSequence = uint.MaxValue }, results[10]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [PythonFact]
    public void Python_computes_the_documented_example_bytes()
    {
        string output = PythonMsgpack.Run("examples");

        foreach (object[] example in SpecExampleTests.Examples.Concat(SpecExampleTests.Version1Examples))
        {
            (string name, string payload, string framed) = ((string)example[0], (string)example[1], (string)example[2]);
            Assert.Contains($"{name} {ExampleFrames.Bytes(payload).Length} {payload}\n", output, StringComparison.Ordinal);
            Assert.Contains($"{name} {ExampleFrames.Bytes(framed).Length} {framed}\n", output, StringComparison.Ordinal);
        }
    }

    private static void AssertSameValues(object frame, JsonElement json)
    {
        switch (frame)
        {
            case HelloFrame f:
                Assert.Equal(1, json.GetProperty("type").GetInt32());
                Assert.Equal(f.ProtocolVersion, json.GetProperty("protocolVersion").GetUInt16());
                Assert.Equal(f.DeviceId, json.GetProperty("deviceId").GetString());
                Assert.Equal(f.FirmwareVersion, json.GetProperty("firmwareVersion").GetString());
                Assert.Equal(f.ModelId, json.GetProperty("modelId").GetString());
                Assert.Equal(f.ChannelNames, json.GetProperty("channelNames").EnumerateArray().Select(e => e.GetString()!));
                Assert.Equal(f.OutputLabels, json.GetProperty("outputLabels").EnumerateArray().Select(e => e.GetString()!));
                Assert.Equal(f.SampleRateHz, (float)json.GetProperty("sampleRateHz").GetDouble());
                Assert.Equal(f.EpochUnixMs, json.GetProperty("epochUnixMs").GetUInt64());
                Assert.Equal(f.SessionId, json.GetProperty("sessionId").GetUInt64());
                Assert.Equal(f.Sequence, json.GetProperty("sequence").GetUInt64());
                break;
            case PredictionFrame f:
                Assert.Equal(2, json.GetProperty("type").GetInt32());
                Assert.Equal(f.Sequence, json.GetProperty("sequence").GetUInt64());
                Assert.Equal(f.TimeMs, json.GetProperty("timeMs").GetUInt32());
                Assert.Equal((int)f.Status, json.GetProperty("status").GetInt32());
                Assert.Equal(f.Probabilities.ToArray(), json.GetProperty("probabilities").EnumerateArray().Select(e => e.GetByte()));
                Assert.Equal(f.AnomalyLevel, json.GetProperty("anomalyLevel").GetByte());
                Assert.Equal(f.Values.ToArray(), json.GetProperty("values").EnumerateArray().Select(Float));
                AssertFlags(f.Flags, json);
                break;
            case AlarmFrame f:
                Assert.Equal(3, json.GetProperty("type").GetInt32());
                Assert.Equal(f.Sequence, json.GetProperty("sequence").GetUInt64());
                Assert.Equal(f.TimeMs, json.GetProperty("timeMs").GetUInt32());
                Assert.Equal(f.Raised, json.GetProperty("raised").GetBoolean());
                Assert.Equal(f.ClassIndex, json.GetProperty("classIndex").GetInt32());
                Assert.Equal(f.Score, (float)json.GetProperty("score").GetDouble());
                Assert.Equal(f.DurationMs, json.GetProperty("durationMs").GetUInt32());
                AssertFlags(f.Flags, json);
                break;
            case HealthFrame f:
                Assert.Equal(4, json.GetProperty("type").GetInt32());
                Assert.Equal(f.Sequence, json.GetProperty("sequence").GetUInt64());
                Assert.Equal(f.TimeMs, json.GetProperty("timeMs").GetUInt32());
                Assert.Equal(f.UptimeSeconds, json.GetProperty("uptimeSeconds").GetUInt32());
                Assert.Equal(f.SamplesRead, json.GetProperty("samplesRead").GetUInt64());
                Assert.Equal(f.Overruns, json.GetProperty("overruns").GetUInt32());
                Assert.Equal(f.ChannelReadErrors.ToArray(), json.GetProperty("channelReadErrors").EnumerateArray().Select(e => e.GetUInt32()));
                Assert.Equal(f.InferenceP50Us, json.GetProperty("inferenceP50Us").GetUInt32());
                Assert.Equal(f.InferenceP99Us, json.GetProperty("inferenceP99Us").GetUInt32());
                Assert.Equal(f.InferenceMaxUs, json.GetProperty("inferenceMaxUs").GetUInt32());
                Assert.Equal(f.SendQueueDepth, json.GetProperty("sendQueueDepth").GetUInt32());
                Assert.Equal(f.SendQueueDrops, json.GetProperty("sendQueueDrops").GetUInt32());
                JsonElement temperature = json.GetProperty("cpuTemperatureMilliCelsius");
                Assert.Equal(f.CpuTemperatureMilliCelsius, temperature.ValueKind == JsonValueKind.Null ? null : temperature.GetInt32());
                Assert.Equal(f.JournalBacklog, json.GetProperty("journalBacklog").GetUInt32());
                Assert.Equal(f.JournalEvictions, json.GetProperty("journalEvictions").GetUInt64());
                Assert.Equal(f.JournalDamaged, json.GetProperty("journalDamaged").GetUInt32());
                AssertFlags(f.Flags, json);
                Assert.Equal(f.ChannelReadTimeouts.ToArray(), json.GetProperty("channelReadTimeouts").EnumerateArray().Select(e => e.GetUInt32()));
                Assert.Equal(f.ChannelNonFinite.ToArray(), json.GetProperty("channelNonFinite").EnumerateArray().Select(e => e.GetUInt32()));
                Assert.Equal(f.ModelResets, json.GetProperty("modelResets").GetUInt32());
                Assert.Equal(f.AlarmThresholds.ToArray(), json.GetProperty("alarmThresholds").EnumerateArray().Select(Float));
                break;
            case AckFrame f:
                Assert.Equal(5, json.GetProperty("type").GetInt32());
                Assert.Equal(f.HighestSequence, json.GetProperty("highestSequence").GetUInt64());
                Assert.Equal(f.SessionId, json.GetProperty("sessionId").GetUInt64());
                Assert.Equal(f.LowestSequence, json.TryGetProperty("lowestSequence", out JsonElement lowest) ? lowest.GetUInt64() : null);
                break;
            default:
                throw new ArgumentException($"not a frame: {frame}", nameof(frame));
        }
    }

    private static void AssertFlags(FrameFlags flags, JsonElement json)
    {
        Assert.Equal((int)flags, json.GetProperty("flags").GetInt32());
        Assert.Equal((flags & FrameFlags.Historical) != 0, json.GetProperty("historical").GetBoolean());
    }

    /// <summary>A value as the Python decoder prints it: a JSON number, or "nan", "inf", "-inf" (JSON has no such numbers).</summary>
    private static float Float(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "nan" => float.NaN,
            "inf" => float.PositiveInfinity,
            "-inf" => float.NegativeInfinity,
            var other => throw new ArgumentException($"not a float: {other}", nameof(value)),
        }
        : (float)value.GetDouble();
}
