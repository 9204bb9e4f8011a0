using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using CsCheck;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Runtime.Tests;

/// <summary>One generated model: every field plausible on its own, hostile together.</summary>
/// <param name="Kind">LSTM or GRU.</param>
/// <param name="Bidirectional">A bidirectional first layer (the model then runs on windows).</param>
/// <param name="Int8">Quantized weights.</param>
/// <param name="Channels">Input channels (past 512 is refused).</param>
/// <param name="Hidden">Hidden size of every layer (0, negative or past 8192 is refused).</param>
/// <param name="Layers">Recurrent layers (past 64 is refused).</param>
/// <param name="Outputs">Dense head outputs; 0 for no head.</param>
/// <param name="Classifier">A softmax classifier, or a regressor.</param>
/// <param name="Windowed">Windowed rather than streaming metadata.</param>
/// <param name="Window">Window length (any int).</param>
/// <param name="Stride">Stride (any int).</param>
/// <param name="NameLength">Characters in the names chosen by <paramref name="LongNames"/>.</param>
/// <param name="LongNames">0 none, 1 channel names, 2 output names, 3 the model name, 4 units.</param>
/// <param name="NameChar">The character names are padded with: ASCII, 2-byte or 4-byte UTF-8.</param>
/// <param name="Mean">The mean of the hostile channel (channel 0); the others have 0.</param>
/// <param name="Std">The std of the hostile channel; the others have 1.</param>
/// <param name="WeightScale">Weights are uniform in ±scale (huge finite ones, NaN).</param>
/// <param name="Relu">ReLU gate activations: an LSTM or GRU that can diverge.</param>
/// <param name="Seed">Seeds the weights and the recording.</param>
internal sealed record HostileSpec(RecurrentKind Kind, bool Bidirectional, bool Int8, int Channels, int Hidden, int Layers, int Outputs,
    bool Classifier, bool Windowed, int Window, int Stride, int NameLength, int LongNames, string NameChar, float Mean, float Std,
    float WeightScale, bool Relu, int Seed)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Kind}{(Bidirectional ? " bidirectional" : "")} {(Int8 ? "int8" : "float32")} channels {Channels} hidden {Hidden} layers {Layers} outputs {Outputs} {(Classifier ? "classifier" : "regressor")} {(Windowed ? "windowed" : "streaming")} window {Window} stride {Stride} names {LongNames}×{NameLength}'{NameChar}' mean {Mean:R} std {Std:R} weights ±{WeightScale:R}{(Relu ? " relu" : "")} seed {Seed}");
}

/// <summary>
/// Generates hostile but CRC-valid models (<see cref="HostileSpec"/>), written with the Core's own payload writer
/// (without the validation the public writer runs, so invalid fields reach the reader), and the replay board to run
/// them on: a recording whose columns are the model's channel names.
/// </summary>
internal static class HostileModels
{
    private static readonly Gen<int> Sizes = Gen.Frequency((100, Gen.Int[1, 4]), (10, Gen.Int[5, 24]), (1, Gen.Const(ModelLimits.MaxChannels)), (1, Gen.Const(ModelLimits.MaxChannels + 1)));

    private static readonly Gen<int> HiddenSizes = Gen.Frequency((30, Gen.Int[1, 12]), (3, Gen.Int[13, 48]),
        (1, Gen.Const(RecurrentModel.MaxDimension + 1)), (1, Gen.Const(0)), (1, Gen.Const(-3)));

    private static readonly Gen<int> Windows = Gen.Frequency((100, Gen.Int[1, 24]), (1, Gen.Const(ModelMetadata.MaxWindowLength)),
        (1, Gen.Const(ModelMetadata.MaxWindowLength + 1)), (1, Gen.Const(1_000_000)), (1, Gen.Const(0)), (1, Gen.Const(-5)), (1, Gen.Const(int.MaxValue)));

    private static readonly Gen<int> NameLengths = Gen.Frequency((40, Gen.Int[1, 16]), (2, Gen.Const(ModelLimits.MaxNameBytes - 1)),
        (2, Gen.Const(ModelLimits.MaxNameBytes)), (2, Gen.Const(ModelLimits.MaxNameBytes + 1)), (1, Gen.Const(1000)), (1, Gen.Const(4097)), (1, Gen.Const(5000)));

    private static readonly Gen<float> Means = Gen.Frequency((20, Gen.Float[-10f, 10f]),
        (3, Gen.OneOf(1e-39f, 1e30f, 1.1e30f, 3e38f, -3e38f, 1e20f, float.NaN, float.PositiveInfinity)));

    private static readonly Gen<float> Stds = Gen.Frequency((20, Gen.Float[0.1f, 10f]),
        (3, Gen.OneOf(1e-39f, 1e-30f, 1e-31f, 1e-45f, 1e-20f, 3e38f, 0f, -1f, float.NaN, float.PositiveInfinity)));

    private static readonly Gen<float> WeightScales = Gen.Frequency((20, Gen.OneOf(0.3f, 1f, 3f)), (3, Gen.OneOf(1e3f, 1e19f, 1e30f, 3e38f, float.MaxValue)), (1, Gen.Const(float.NaN)));

    /// <summary>The specs: mostly small models, each with one or two fields at or past a limit.</summary>
    public static readonly Gen<HostileSpec> Specs =
        Gen.Select(Gen.OneOf(RecurrentKind.Lstm, RecurrentKind.Gru), Gen.Frequency((6, Gen.Const(false)), (1, Gen.Const(true))), Gen.Bool, Sizes, HiddenSizes,
                Gen.Frequency((20, Gen.Const(1)), (6, Gen.Const(2)), (1, Gen.Const(RecurrentModel.MaxLayers + 1))),
                Gen.Frequency((4, Gen.Const(0)), (20, Gen.Int[1, 4]), (1, Gen.Const(ModelLimits.MaxOutputs)), (1, Gen.Const(ModelLimits.MaxOutputs + 1))),
                Gen.Bool)
            .SelectMany((kind, bidirectional, int8, channels, hidden, layers, outputs, classifier) =>
                Gen.Select(Gen.Bool, Windows, Gen.Frequency((10, Gen.Int[1, 4]), (1, Gen.OneOf(0, 65_537, 30))), NameLengths, Gen.Int[0, 4],
                        Gen.OneOf("n", "é", "😀"), Gen.Select(Means, Stds), Gen.Select(WeightScales, Gen.Frequency((6, Gen.Const(false)), (1, Gen.Const(true))), Gen.Int.Uniform))
                    .Select((windowed, window, stride, nameLength, longNames, nameChar, normalization, weights) =>
                    {
                        // A window near the limit only with narrow layers, so an accepted one stays a few MB (a wide one is refused unallocated).
                        bool longWindow = (windowed || bidirectional) && window > 1024;
                        return new HostileSpec(kind, bidirectional, int8, longWindow ? Math.Min(channels, 3) : channels,
                            longWindow && hidden is > 4 and <= RecurrentModel.MaxDimension ? 176 : hidden, longWindow ? 1 : layers,
                            longWindow ? Math.Min(outputs, 2) : outputs, classifier && outputs > 0, windowed, window, stride, nameLength, longNames,
                            nameChar, normalization.Item1, normalization.Item2, weights.Item1, weights.Item2, weights.Item3);
                    }));

    /// <summary>The model's channel names: unique, and <see cref="HostileSpec.NameLength"/> long when they are the hostile names.</summary>
    public static string[] ChannelNames(HostileSpec spec) =>
        [.. Enumerable.Range(0, spec.Channels).Select(c => Name($"c{c}", spec, spec.LongNames == 1))];

    private static string Name(string prefix, HostileSpec spec, bool hostile)
    {
        if (!hostile) return prefix;
        var name = new StringBuilder(prefix);
        while (name.Length < spec.NameLength) name.Append(spec.NameChar);
        return name.ToString();
    }

    /// <summary>The .elstm file of the spec: the Core's payload writer, the real header and CRC.</summary>
    public static byte[] File(HostileSpec spec)
    {
        RecurrentModel model = Model(spec);
        var payload = new ArrayBufferWriter<byte>(4096);
        ModelPayloadWriter.Write(model, payload);
        var file = new byte[ModelFile.HeaderSize + payload.WrittenCount];
        ModelFile.Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), ModelFile.FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), (uint)payload.WrittenCount);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), Crc32.HashToUInt32(payload.WrittenSpan));
        payload.WrittenSpan.CopyTo(file.AsSpan(ModelFile.HeaderSize));
        return file;
    }

    private static RecurrentModel Model(HostileSpec spec)
    {
        var random = new Random(spec.Seed);
        // Arrays are sized from a hidden size the writer can hold; the declared size may be the hostile one.
        int hidden = Math.Clamp(spec.Hidden, 1, 176);
        int gates = spec.Kind == RecurrentKind.Lstm ? 4 : 3;
        int directions = spec.Bidirectional ? 2 : 1;
        var layers = new List<RecurrentLayer>();
        int input = spec.Channels;
        for (int l = 0; l < spec.Layers; l++)
        {
            RecurrentDirection direction = spec.Bidirectional && l == 0 ? RecurrentDirection.Bidirectional : RecurrentDirection.Forward;
            int dirs = direction == RecurrentDirection.Bidirectional ? 2 : 1;
            var weights = new DirectionWeights[dirs];
            for (int d = 0; d < dirs; d++)
            {
                weights[d] = new DirectionWeights(
                    WeightMatrix.FromFloat(gates * hidden, input, Values(random, gates * hidden * input, spec.WeightScale)),
                    WeightMatrix.FromFloat(gates * hidden, hidden, Values(random, gates * hidden * hidden, spec.WeightScale)),
                    Values(random, gates * hidden, spec.WeightScale), Values(random, gates * hidden, 1f));
            }

            ActivationKind[] activations = spec.Relu
                ? (spec.Kind == RecurrentKind.Lstm ? [ActivationKind.Sigmoid, ActivationKind.Relu, ActivationKind.Relu] : [ActivationKind.Sigmoid, ActivationKind.Relu])
                : [.. RecurrentLayer.DefaultActivations(spec.Kind, 1)];
            layers.Add(new RecurrentLayer(spec.Kind, direction, input, l == 0 ? spec.Hidden : hidden, weights,
                [.. Enumerable.Range(0, dirs).SelectMany(_ => activations)], LinearBeforeReset: spec.Kind == RecurrentKind.Gru));
            input = hidden * dirs;
        }

        DenseLayer[] head = spec.Outputs > 0
            ? [new DenseLayer(WeightMatrix.FromFloat(spec.Outputs, input, Values(random, spec.Outputs * input, spec.WeightScale)), Values(random, spec.Outputs, 1f),
                spec.Classifier ? ActivationKind.Softmax : ActivationKind.None)]
            : [];
        int outputs = spec.Outputs > 0 ? spec.Outputs : input;
        string[] names = ChannelNames(spec);
        ChannelInfo[] channels = [.. names.Select((n, c) => c == 0
            ? new ChannelInfo(n, spec.LongNames == 4 ? Name("u", spec, true) : "", spec.Mean, spec.Std)
            : new ChannelInfo(n, "", 0f, 1f))];
        var meta = new ModelMetadata(channels, spec.Classifier ? OutputKind.Classifier : OutputKind.Regressor,
            [.. Enumerable.Range(0, outputs).Select(o => Name($"y{o}", spec, spec.LongNames == 2))],
            spec.Windowed || spec.Bidirectional ? ExecutionMode.Windowed : ExecutionMode.Streaming, spec.Window, spec.Stride,
            spec.LongNames == 3 ? Name("model", spec, true) : "hostile");
        var model = new RecurrentModel(layers, head, HeadInput.LastStep, meta);
        return spec.Int8 ? model.Quantize() : model;
    }

    private static float[] Values(Random random, int count, float scale)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return values;
    }

    /// <summary>A recording of <paramref name="rows"/> samples around each channel's normalization (finite where the model's is not).</summary>
    public static string Recording(HostileSpec spec, int rows)
    {
        var random = new Random(spec.Seed ^ 0x5eed);
        string[] names = ChannelNames(spec);
        var csv = new StringBuilder("t");
        foreach (string name in names) csv.Append(';').Append(name);
        csv.Append('\n');
        for (int r = 0; r < rows; r++)
        {
            csv.Append(r.ToString(CultureInfo.InvariantCulture));
            for (int c = 0; c < names.Length; c++)
            {
                (float mean, float std) = c == 0 ? (spec.Mean, spec.Std) : (0f, 1f);
                float value = (float)(mean + std * (random.NextDouble() * 4 - 2));
                if (!float.IsFinite(value)) value = float.IsFinite(mean) ? mean : 0f;
                csv.Append(';').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>A simulated board replaying the recording at 1 Hz on the fast clock, a stream sink (and text for one case in 8), Health every 20 s.</summary>
    public static string Board(HostileSpec spec)
    {
        string channels = string.Join(", ", ChannelNames(spec).Select(n => $"{{ \"name\": {JsonSerializer.Serialize(n)} }}"));
        return $$"""
            {
              "board": { "name": "hostile", "simulated": true },
              "sampler": { "rateHz": 1, "holdLimit": 3, "clock": "fast" },
              "devices": [ { "type": "replay", "name": "recording", "file": "recording.csv", "timing": "sequential", "channels": [ {{channels}} ] } ],
              "model": { "path": "model.elstm" },
              "decision": { "threshold": 0.5, "clearThreshold": 0.4 },
              "sinks": [ {{(spec.Seed % 8 == 0 ? "{ \"type\": \"stdout\" }, " : "")}}{ "type": "null" } ],
              "health": { "intervalSeconds": 20 }
            }
            """;
    }
}
