using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests.Format;

public class ModelFileTests
{
    private static RecurrentModel Sample(bool int8 = false, RecurrentKind kind = RecurrentKind.Lstm)
    {
        RecurrentModel model = RandomModels.Create(new ModelSpec(kind, HiddenSizes: [6, 5], Peepholes: kind == RecurrentKind.Lstm, Clip: 3f,
            InitialState: true, LinearBeforeReset: false, DenseSizes: [4, 3]), 42);
        model = model with
        {
            Metadata = new ModelMetadata(
                Enumerable.Range(0, 8).Select(i => new ChannelInfo($"ch{i}", "V", i * 0.5f, 1 + i)).ToArray(),
                OutputKind.Classifier, ["normal", "cavitation", "imbalance"], ExecutionMode.Streaming, 1, 1, "pump-demo", SampleRateHz: 100),
        };
        return int8 ? model.Quantize() : model;
    }

    [Theory]
    [InlineData(false, RecurrentKind.Lstm)]
    [InlineData(true, RecurrentKind.Lstm)]
    [InlineData(false, RecurrentKind.Gru)]
    [InlineData(true, RecurrentKind.Gru)]
    public void A_saved_model_loads_back_and_predicts_identically(bool int8, RecurrentKind kind)
    {
        RecurrentModel model = Sample(int8, kind);
        byte[] file = ModelFile.ToBytes(model);
        RecurrentModel loaded = ModelFile.Load(file);
        Assert.Equal(model.Precision, loaded.Precision);
        Assert.Equal(model.Metadata.Channels, loaded.Metadata.Channels);
        Assert.Equal(model.Metadata.OutputNames, loaded.Metadata.OutputNames);
        Assert.Equal(model.Metadata with { Channels = [], OutputNames = [] }, loaded.Metadata with { Channels = [], OutputNames = [] });
        Assert.Equal(file, ModelFile.ToBytes(loaded)); // nothing lost: the bytes round-trip

        float[] window = RandomModels.Values(new Random(1), 10 * 8, 1f);
        var expected = new float[3];
        var actual = new float[3];
        new Predictor(model).RunWindow(window, expected);
        new Predictor(loaded).RunWindow(window, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_model_shape_the_engine_supports_round_trips()
    {
        foreach (ModelSpec spec in RandomModels.CoverageSpecs())
        {
            foreach (bool int8 in new[] { false, true })
            {
                RecurrentModel model = RandomModels.Create(spec, 5);
                if (int8) model = model.Quantize();
                byte[] file = ModelFile.ToBytes(model);
                Assert.Equal(file, ModelFile.ToBytes(ModelFile.Load(file)));
            }
        }
    }

    [Fact]
    public void The_int8_file_is_about_a_quarter_of_the_float32_file()
    {
        RecurrentModel model = RandomModels.Create(new ModelSpec(HiddenSizes: [64, 64], DenseSizes: [4]), 1);
        int floatSize = ModelFile.ToBytes(model).Length;
        int int8Size = ModelFile.ToBytes(model.Quantize()).Length;
        Assert.InRange(int8Size, floatSize / 4, floatSize * 0.3);
    }

    [Fact]
    public void The_model_id_is_the_files_xxh3_hash()
    {
        byte[] file = ModelFile.ToBytes(Sample());
        string id = ModelFile.ComputeModelId(file);
        Assert.Matches("^[0-9a-f]{16}$", id);
        Assert.Equal("2d06800538d394c2", ModelFile.ComputeModelId([])); // XXH3-64 of no bytes, the reference test vector
        Assert.NotEqual(id, ModelFile.ComputeModelId(ModelFile.ToBytes(Sample(int8: true))));
    }

    [Fact]
    public void Save_and_load_through_a_file_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgelstm-{Guid.NewGuid():N}.elstm");
        try
        {
            ModelFile.Save(Sample(), path);
            Assert.False(File.Exists(path + ".tmp"));
            Assert.Equal("pump-demo", ModelFile.Load(path).Metadata.Name);
            File.WriteAllBytes(path, [1, 2, 3]);
            Assert.Contains(path, Assert.Throws<InvalidModelException>(() => ModelFile.Load(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<FileNotFoundException>(() => ModelFile.Load(path));
    }

    [Fact]
    public void Truncated_files_are_rejected_with_the_sizes()
    {
        byte[] file = ModelFile.ToBytes(Sample());
        Assert.Contains("shorter than the 20-byte", Reject(file[..10]));
        Assert.Contains("truncated", Reject(file[..^7]));
        Assert.Contains($"only {file.Length - 27} bytes follow", Reject(file[..^7]));
        Assert.Contains("unexpected bytes after", Reject([.. file, 0]));
    }

    [Fact]
    public void A_bad_magic_is_rejected()
    {
        byte[] file = ModelFile.ToBytes(Sample());
        Assert.Contains("not an .elstm model", Reject("PK\u0003\u0004 this is a zip file!"u8.ToArray()));
        byte[] textMode = (byte[])file.Clone();
        textMode[6] = 0x0A; // CR LF became LF LF
        Assert.Contains("text mode", Reject(textMode));
    }

    [Fact]
    public void A_corrupt_payload_fails_its_crc()
    {
        byte[] file = ModelFile.ToBytes(Sample());
        file[ModelFile.HeaderSize + 40] ^= 0x10;
        Assert.Contains("CRC-32", Reject(file));
    }

    [Fact]
    public void A_newer_format_version_asks_for_an_update()
    {
        byte[] file = ModelFile.ToBytes(Sample());
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), 2);
        Assert.Contains("format version 2", Reject(file));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(10), 4);
        Assert.Contains("flags", Reject(file));
    }

    [Fact]
    public void An_absurd_payload_length_is_rejected_before_reading()
    {
        byte[] file = ModelFile.ToBytes(Sample());
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), uint.MaxValue);
        Assert.Contains("at most", Reject(file));
    }

    [Fact]
    public void Inconsistent_shapes_name_the_tensor()
    {
        RecurrentModel model = Sample();
        RecurrentLayer layer = model.Layers[1];
        DirectionWeights d = layer.Directions[0];
        // R of layer 1 given 4 columns while H is 5.
        var broken = model with
        {
            Layers = [model.Layers[0], layer with { Directions = [d with { R = WeightMatrix.FromFloat(20, 4, new float[80]) }] }],
        };
        Assert.Contains("layers[1].directions[0].R is 20x4; expected 20x5", Reject(WrapUnchecked(broken)));
        var wrongInput = model with { Layers = [model.Layers[0], layer with { InputSize = 7 }] };
        Assert.Contains("layers[1]", Reject(WrapUnchecked(wrongInput)));
        var wrongHead = model with { Head = [model.Head[0], model.Head[0]] };
        Assert.Contains("head[1] takes 5 inputs but receives 4", Reject(WrapUnchecked(wrongHead)));
        var wrongNames = model with { Metadata = model.Metadata with { OutputNames = ["a"] } };
        Assert.Contains("metadata.outputs lists 1 names but the model produces 3", Reject(WrapUnchecked(wrongNames)));
    }

    [Fact]
    public void Non_finite_weights_are_rejected_with_their_position()
    {
        RecurrentModel model = Sample();
        float[] w = (float[])model.Layers[0].Directions[0].W.Values!.Clone();
        w[17] = float.NaN;
        DirectionWeights d = model.Layers[0].Directions[0] with { W = WeightMatrix.FromFloat(24, 8, w) };
        var broken = model with { Layers = [model.Layers[0] with { Directions = [d] }, model.Layers[1]] };
        Assert.Contains("layers[0].directions[0].W element 17 is NaN", Reject(WrapUnchecked(broken)));
        float[] bias = [.. model.Head[1].Bias];
        bias[2] = float.PositiveInfinity;
        var brokenBias = model with { Head = [model.Head[0], model.Head[1] with { Bias = bias }] };
        Assert.Contains("head[1].bias element 2", Reject(WrapUnchecked(brokenBias)));
    }

    [Fact]
    public void Absurd_sizes_in_the_payload_are_rejected_without_allocating_them()
    {
        // A layer claiming 1,000,000,000 inputs: rejected by the dimension check, not by an out-of-memory.
        Assert.Contains("layers[0].inputSize is 1000000000", Reject(WrapPayload(PayloadWithLayers(1, firstLayerInputs: 1_000_000_000))));

        // An array header claiming 2^31 − 1 layers.
        Assert.Contains("layers (payload offset 23) cannot be read", Reject(WrapPayload(PayloadWithLayers(int.MaxValue, firstLayerInputs: null))));
    }

    /// <summary>A hand-written payload: minimal metadata, a layer count and, optionally, the start of a first layer.</summary>
    private static byte[] PayloadWithLayers(int layerCount, int? firstLayerInputs)
    {
        var payload = new ArrayBufferWriter<byte>();
        var writer = new MessagePack.MessagePackWriter(payload);
        writer.WriteArrayHeader(5);
        writer.WriteArrayHeader(9);
        writer.Write("x"); writer.Write((byte)0); writer.Write((byte)0); writer.Write(1); writer.Write(1); writer.Write(true);
        writer.WriteArrayHeader(0); writer.WriteArrayHeader(0); writer.Write(0f);
        writer.Write((byte)0); writer.Write((byte)0);
        writer.WriteArrayHeader(layerCount);
        if (firstLayerInputs is { } inputs)
        {
            writer.WriteArrayHeader(8);
            writer.Write((byte)0); writer.Write((byte)0); writer.Write(inputs); writer.Write(4);
        }
        writer.Flush();
        return payload.WrittenSpan.ToArray();
    }

    [Fact]
    public void Random_corruption_never_escapes_as_anything_but_InvalidModelException()
    {
        byte[][] originals = [ModelFile.ToBytes(Sample()), ModelFile.ToBytes(Sample(int8: true, kind: RecurrentKind.Gru))];
        var random = new Random(2026);
        int loaded = 0, rejected = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] original = originals[i % 2];
            byte[] mutated = Mutate(original, random);
            // Half the time, fix the CRC so the mutation reaches the payload parser instead of the checksum.
            if (i % 4 >= 2 && mutated.Length >= ModelFile.HeaderSize)
                FixHeader(mutated);
            try
            {
                RecurrentModel model = ModelFile.Load(mutated);
                new Predictor(model).RunWindow(new float[model.InputSize * 2], new float[model.OutputSize]);
                loaded++;
            }
            catch (InvalidModelException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                rejected++;
            }
        }
        Assert.True(rejected > 2000, $"only {rejected} of 3000 corruptions were rejected");
        Assert.True(loaded + rejected == 3000);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                case 2: bytes.RemoveAt(at); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return [.. bytes];
    }

    private static void FixHeader(byte[] file)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), (uint)(file.Length - ModelFile.HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), Crc32.HashToUInt32(file.AsSpan(ModelFile.HeaderSize)));
    }

    /// <summary>Serializes a model without validating it, as a buggy or hostile writer would.</summary>
    private static byte[] WrapUnchecked(RecurrentModel model)
    {
        var payload = new ArrayBufferWriter<byte>();
        ModelPayloadWriter.Write(model, payload);
        return WrapPayload(payload.WrittenSpan);
    }

    private static byte[] WrapPayload(ReadOnlySpan<byte> payload)
    {
        var file = new byte[ModelFile.HeaderSize + payload.Length];
        ModelFile.Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), ModelFile.FormatVersion);
        payload.CopyTo(file.AsSpan(ModelFile.HeaderSize));
        FixHeader(file);
        return file;
    }

    private static string Reject(byte[] file) => Assert.Throws<InvalidModelException>(() => ModelFile.Load(file)).Message;
}
