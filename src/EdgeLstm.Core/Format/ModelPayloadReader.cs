using System.Buffers;
using System.Buffers.Binary;
using EdgeLstm.Core.Model;
using MessagePack;

namespace EdgeLstm.Core.Format;

/// <summary>
/// Reads the MessagePack payload of an .elstm file. Every count and size is checked before it is used,
/// nothing is skipped blindly, and every failure becomes an <see cref="InvalidModelException"/> naming the
/// field (e.g. <c>layers[1].directions[0].R.data</c>) and the payload offset.
/// </summary>
internal static class ModelPayloadReader
{
    public static RecurrentModel Read(ReadOnlySpan<byte> payload)
    {
        byte[] copy = payload.ToArray(); // MessagePackReader reads a sequence; the payload is bounded by the header check
        var reader = new MessagePackReader(new ReadOnlySequence<byte>(copy));
        var at = new Location();
        try
        {
            at.Path = "payload";
            Expect(ref reader, at, 5);
            at.Path = "metadata";
            ModelMetadata metadata = ReadMetadata(ref reader, at);
            at.Path = "precision";
            var precision = ReadEnum<ModelPrecision>(ref reader, at);
            at.Path = "headInput";
            var headInput = ReadEnum<HeadInput>(ref reader, at);
            at.Path = "layers";
            int layerCount = ReadCount(ref reader, at, RecurrentModel.MaxLayers);
            var layers = new RecurrentLayer[layerCount];
            for (int l = 0; l < layerCount; l++) layers[l] = ReadLayer(ref reader, at, $"layers[{l}]");
            at.Path = "head";
            int headCount = ReadCount(ref reader, at, RecurrentModel.MaxLayers);
            var head = new DenseLayer[headCount];
            for (int h = 0; h < headCount; h++)
            {
                string where = $"head[{h}]";
                at.Path = where;
                Expect(ref reader, at, 3);
                WeightMatrix w = ReadMatrix(ref reader, at, where + ".W");
                at.Path = where + ".bias";
                float[] bias = ReadFloats(ref reader, at) ?? throw Fail(at, "is missing");
                at.Path = where + ".activation";
                head[h] = new DenseLayer(w, bias, ReadEnum<ActivationKind>(ref reader, at));
            }
            if (!reader.End)
                throw new InvalidModelException($"The payload has {reader.Sequence.Length - reader.Consumed} unexpected bytes after its end (offset {reader.Consumed}).");
            var model = new RecurrentModel(layers, head, headInput, metadata);
            if (layerCount > 0 && model.Precision != precision)
                throw new InvalidModelException($"precision says {precision} but the weights are {model.Precision}.");
            return model;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or ArgumentException or System.Text.DecoderFallbackException)
        {
            throw new InvalidModelException($"{at.Path} (payload offset {reader.Consumed}) cannot be read: {e.Message}", e);
        }
    }

    private static ModelMetadata ReadMetadata(ref MessagePackReader reader, Location at)
    {
        Expect(ref reader, at, 9);
        at.Path = "metadata.name";
        string name = ReadString(ref reader, at);
        at.Path = "metadata.outputKind";
        var kind = ReadEnum<OutputKind>(ref reader, at);
        at.Path = "metadata.mode";
        var mode = ReadEnum<ExecutionMode>(ref reader, at);
        at.Path = "metadata.windowLength";
        int window = reader.ReadInt32();
        at.Path = "metadata.stride";
        int stride = reader.ReadInt32();
        at.Path = "metadata.isDefault";
        bool isDefault = reader.ReadBoolean();
        at.Path = "metadata.channels";
        int channelCount = ReadCount(ref reader, at, ModelLimits.MaxChannels);
        var channels = new ChannelInfo[channelCount];
        for (int c = 0; c < channelCount; c++)
        {
            at.Path = $"metadata.channels[{c}]";
            Expect(ref reader, at, 4);
            channels[c] = new ChannelInfo(ReadString(ref reader, at), ReadString(ref reader, at), reader.ReadSingle(), reader.ReadSingle());
        }
        at.Path = "metadata.outputs";
        int outputCount = ReadCount(ref reader, at, ModelLimits.MaxOutputs);
        var outputs = new string[outputCount];
        for (int o = 0; o < outputCount; o++)
        {
            at.Path = $"metadata.outputs[{o}]";
            outputs[o] = ReadString(ref reader, at);
        }
        at.Path = "metadata.sampleRateHz";
        float sampleRate = reader.ReadSingle();
        return new ModelMetadata(channels, kind, outputs, mode, window, stride, name, isDefault, sampleRate);
    }

    private static RecurrentLayer ReadLayer(ref MessagePackReader reader, Location at, string where)
    {
        at.Path = where;
        Expect(ref reader, at, 8);
        at.Path = where + ".kind";
        var kind = ReadEnum<RecurrentKind>(ref reader, at);
        at.Path = where + ".direction";
        var direction = ReadEnum<RecurrentDirection>(ref reader, at);
        at.Path = where + ".inputSize";
        int input = ReadDimension(ref reader, at);
        at.Path = where + ".hiddenSize";
        int hidden = ReadDimension(ref reader, at);
        at.Path = where + ".clip";
        float clip = reader.ReadSingle();
        at.Path = where + ".linearBeforeReset";
        bool linearBeforeReset = reader.ReadBoolean();
        at.Path = where + ".activations";
        ReadOnlySequence<byte> actBytes = reader.ReadBytes() ?? throw Fail(at, "is missing");
        if (actBytes.Length > 6) throw Fail(at, $"has {actBytes.Length} entries; at most 6 exist");
        var activations = new ActivationKind[actBytes.Length];
        int i = 0;
        foreach (byte b in actBytes.ToArray())
        {
            if (!Enum.IsDefined((ActivationKind)b)) throw Fail(at, $"entry {i} is {b}, not a known activation");
            activations[i++] = (ActivationKind)b;
        }
        at.Path = where + ".directions";
        int directionCount = ReadCount(ref reader, at, 2);
        var directions = new DirectionWeights[directionCount];
        for (int d = 0; d < directionCount; d++)
        {
            string dw = $"{where}.directions[{d}]";
            at.Path = dw;
            Expect(ref reader, at, 7);
            WeightMatrix w = ReadMatrix(ref reader, at, dw + ".W");
            WeightMatrix r = ReadMatrix(ref reader, at, dw + ".R");
            at.Path = dw + ".Wb";
            float[] wb = ReadFloats(ref reader, at) ?? throw Fail(at, "is missing");
            at.Path = dw + ".Rb";
            float[] rb = ReadFloats(ref reader, at) ?? throw Fail(at, "is missing");
            at.Path = dw + ".P";
            float[]? p = ReadFloats(ref reader, at);
            at.Path = dw + ".initialH";
            float[]? h0 = ReadFloats(ref reader, at);
            at.Path = dw + ".initialC";
            float[]? c0 = ReadFloats(ref reader, at);
            directions[d] = new DirectionWeights(w, r, wb, rb, p, h0, c0);
        }
        return new RecurrentLayer(kind, direction, input, hidden, directions, activations, clip, linearBeforeReset);
    }

    private static WeightMatrix ReadMatrix(ref MessagePackReader reader, Location at, string where)
    {
        at.Path = where;
        Expect(ref reader, at, 4);
        at.Path = where + ".rows";
        int rows = ReadDimension(ref reader, at, RecurrentModel.MaxDimension * 4);
        at.Path = where + ".columns";
        int columns = ReadDimension(ref reader, at);
        at.Path = where + ".data";
        ReadOnlySequence<byte> data = reader.ReadBytes() ?? throw Fail(at, "is missing");
        at.Path = where + ".scales";
        float[]? scales = ReadFloats(ref reader, at);
        long count = (long)rows * columns;
        at.Path = where + ".data";
        if (scales is null)
        {
            if (data.Length != count * 4) throw Fail(at, $"has {data.Length} bytes; a {rows}x{columns} float32 matrix needs {count * 4}");
            return WeightMatrix.FromFloat(rows, columns, ToFloats(data));
        }
        if (data.Length != count) throw Fail(at, $"has {data.Length} bytes; a {rows}x{columns} int8 matrix needs {count}");
        at.Path = where + ".scales";
        if (scales.Length != rows) throw Fail(at, $"has {scales.Length} values; expected one per row ({rows})");
        var quantized = new sbyte[count];
        data.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(quantized.AsSpan()));
        return WeightMatrix.FromInt8(rows, columns, quantized, scales);
    }

    private static float[]? ReadFloats(ref MessagePackReader reader, Location at)
    {
        if (reader.TryReadNil()) return null;
        ReadOnlySequence<byte> bytes = reader.ReadBytes() ?? throw Fail(at, "is missing");
        if (bytes.Length % 4 != 0) throw Fail(at, $"has {bytes.Length} bytes, not a whole number of float32 values");
        return ToFloats(bytes);
    }

    private static float[] ToFloats(ReadOnlySequence<byte> bytes)
    {
        byte[] raw = bytes.ToArray();
        var values = new float[raw.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4));
        return values;
    }

    private static string ReadString(ref MessagePackReader reader, Location at)
    {
        string? value = reader.ReadString();
        return value ?? throw Fail(at, "is nil; a string is required");
    }

    private static T ReadEnum<T>(ref MessagePackReader reader, Location at) where T : struct, Enum
    {
        byte raw = reader.ReadByte();
        T value = (T)Enum.ToObject(typeof(T), raw);
        return Enum.IsDefined(value) ? value : throw Fail(at, $"is {raw}, not a known {typeof(T).Name}");
    }

    private static int ReadDimension(ref MessagePackReader reader, Location at, int max = RecurrentModel.MaxDimension)
    {
        int value = reader.ReadInt32();
        return value >= 1 && value <= max ? value : throw Fail(at, $"is {value}; it must be 1 to {max}");
    }

    private static int ReadCount(ref MessagePackReader reader, Location at, int max)
    {
        int count = reader.ReadArrayHeader();
        return count <= max ? count : throw Fail(at, $"has {count} entries; at most {max} are accepted");
    }

    private static void Expect(ref MessagePackReader reader, Location at, int fields)
    {
        int count = reader.ReadArrayHeader();
        if (count != fields) throw Fail(at, $"has {count} fields; format version {ModelFile.FormatVersion} defines {fields}");
    }

    private static InvalidModelException Fail(Location at, string problem) => new($"{at.Path} {problem}.");

    /// <summary>The field being read, for error messages.</summary>
    private sealed class Location
    {
        public string Path { get; set; } = "";
    }
}
