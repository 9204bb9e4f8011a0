using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests.Model;

/// <summary>Each documented model limit refuses a model just past it, with a message naming the field and the value.</summary>
public sealed class ModelLimitsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgelstm-limits-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A float32 GRU (not a plain LSTM, so no packed copy): <paramref name="inputs"/> → hidden → optional dense head.</summary>
    private static RecurrentModel Gru(int inputs, int hidden, int? outputs = null, ModelMetadata? metadata = null)
    {
        var random = new Random(1);
        var layer = new RecurrentLayer(RecurrentKind.Gru, RecurrentDirection.Forward, inputs, hidden,
            [new DirectionWeights(WeightMatrix.FromFloat(3 * hidden, inputs, RandomModels.Values(random, 3 * hidden * inputs, 0.5f)),
                WeightMatrix.FromFloat(3 * hidden, hidden, RandomModels.Values(random, 3 * hidden * hidden, 0.5f)),
                new float[3 * hidden], new float[3 * hidden])],
            RecurrentLayer.DefaultActivations(RecurrentKind.Gru, 1), LinearBeforeReset: true);
        DenseLayer[] head = outputs is { } o ? [new DenseLayer(WeightMatrix.FromFloat(o, hidden, new float[o * hidden]), new float[o], ActivationKind.Softmax)] : [];
        int outputCount = outputs ?? hidden;
        return new RecurrentModel([layer], head, HeadInput.LastStep, metadata ?? ModelMetadata.CreateDefault(inputs, outputCount));
    }

    private static string Refusal(RecurrentModel model) => Assert.Throws<InvalidModelException>(() => ModelFile.ToBytes(model)).Message;

    [Fact]
    public void A_window_past_65536_samples_is_refused()
    {
        RecurrentModel model = Gru(1, 2);
        model = model with { Metadata = model.Metadata with { Mode = ExecutionMode.Windowed, WindowLength = ModelMetadata.MaxWindowLength } };
        ModelFile.ToBytes(model); // at the limit: accepted
        Assert.Contains("metadata.windowLength is 65537; it must be 1 to 65536", Refusal(model with { Metadata = model.Metadata with { WindowLength = 65_537 } }));
        Assert.Contains("metadata.windowLength is 1000000", Refusal(model with { Metadata = model.Metadata with { WindowLength = 1_000_000 } }));
    }

    [Fact]
    public void A_window_whose_buffers_would_pass_the_value_limit_is_refused_before_anything_is_allocated()
    {
        // 65,536 steps × 4·160 = 640 gate values per step is 41.9 M values, over 2^25.
        var random = new Random(2);
        const int hidden = 160;
        var layer = new RecurrentLayer(RecurrentKind.Lstm, RecurrentDirection.Forward, 1, hidden,
            [new DirectionWeights(WeightMatrix.FromFloat(4 * hidden, 1, RandomModels.Values(random, 4 * hidden, 1f)),
                WeightMatrix.FromFloat(4 * hidden, hidden, new float[4 * hidden * hidden]), new float[4 * hidden], new float[4 * hidden])],
            RecurrentLayer.DefaultActivations(RecurrentKind.Lstm, 1));
        var model = new RecurrentModel([layer], [], HeadInput.LastStep,
            ModelMetadata.CreateDefault(1, hidden) with { Mode = ExecutionMode.Windowed, WindowLength = 65_536 });
        Assert.Contains("metadata.windowLength is 65536: 65536 steps × 640 values in the widest per-step buffer is 41943040 values; at most 33554432 are accepted", Refusal(model));
        Assert.Throws<InvalidModelException>(() => new Predictor(model));
    }

    [Fact]
    public void A_window_longer_than_the_buffers_allow_is_refused_by_run_window_not_wrapped()
    {
        // 2,208 gate values per step: a window of 10^6 steps would be 2.2·10^9 values, past int.MaxValue.
        RecurrentModel model = Gru(1, 734, outputs: 1); // 3 gates × 736 (734 padded to the kernels' blocks of 8) = 2,208
        var predictor = new Predictor(model);
        var window = new float[1_000_000];
        ArgumentException e = Assert.Throws<ArgumentException>(() => predictor.RunWindow(window, new float[predictor.OutputSize]));
        Assert.Contains("A window of 1000000 steps needs 2208000000 values in its widest buffer (2208 per step)", e.Message);
    }

    [Fact]
    public void More_than_512_channels_are_refused()
    {
        ModelFile.ToBytes(Gru(ModelLimits.MaxChannels, 1));
        Assert.Contains("layers[0].inputSize is 513; a model takes at most 512 channels", Refusal(Gru(513, 1)));
    }

    [Fact]
    public void More_than_512_outputs_are_refused()
    {
        ModelFile.ToBytes(Gru(1, 2, outputs: ModelLimits.MaxOutputs));
        Assert.Contains("outputs are 513; a model produces at most 512", Refusal(Gru(1, 2, outputs: 513)));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("channel")]
    [InlineData("unit")]
    [InlineData("output")]
    public void A_name_longer_than_256_bytes_is_refused(string which)
    {
        string longName = new('é', 129); // 258 UTF-8 bytes in 129 characters
        ModelMetadata meta = ModelMetadata.CreateDefault(1, 1);
        meta = which switch
        {
            "name" => meta with { Name = longName },
            "channel" => meta with { Channels = [new ChannelInfo(longName)] },
            "unit" => meta with { Channels = [new ChannelInfo("x0", longName)] },
            _ => meta with { OutputNames = [longName] },
        };
        string field = which switch { "name" => "metadata.name", "channel" => "metadata.channels[0].name", "unit" => "metadata.channels[0].unit", _ => "metadata.outputs[0]" };
        Assert.Contains($"{field} is 258 bytes long (UTF-8); at most 256 are accepted", Refusal(Gru(1, 1, metadata: meta)));
        ModelFile.ToBytes(Gru(1, 1, metadata: ModelMetadata.CreateDefault(1, 1) with { Name = new string('e', 256) }));
    }

    [Theory]
    [InlineData(0f, 1e-39f, "metadata.channels[0].std is 1E-39; it must be at least 1E-30")]
    [InlineData(3e38f, 1f, "metadata.channels[0].mean is 3E+38; its magnitude must be at most 1E+30")]
    [InlineData(1e20f, 1e-20f, "metadata.channels[0] has mean 1E+20 and std 1E-20: a reading of 0 would normalize to -1E+40")]
    [InlineData(float.NaN, 1f, "metadata.channels[0].mean is NaN; it must be finite")]
    [InlineData(0f, 0f, "metadata.channels[0].std is 0; it must be finite and positive")]
    public void A_normalization_that_is_not_representable_is_refused(float mean, float std, string expected)
    {
        ModelMetadata meta = ModelMetadata.CreateDefault(1, 1) with { Channels = [new ChannelInfo("x0", "", mean, std)] };
        Assert.Contains(expected, Refusal(Gru(1, 1, metadata: meta)));
        ModelFile.ToBytes(Gru(1, 1, metadata: meta with { Channels = [new ChannelInfo("x0", "", 1e30f, 1f)] }));
        ModelFile.ToBytes(Gru(1, 1, metadata: meta with { Channels = [new ChannelInfo("x0", "", 0f, 1e-30f)] }));
    }

    [Fact]
    public void The_memory_need_is_the_weights_state_and_window_buffers_in_bytes()
    {
        // GRU 1 → 2, float32, streaming, no head: W 6×1, R 6×2, Wb 6, Rb 6 floats = 120 bytes; state (4·2 + 2·6 + 2·2)
        // floats for the cell and 3·2 for the head's buffers = 120 bytes; window (one step): 2 sequences of 2 + ring and
        // window of 1 = 24 bytes.
        ModelMemory memory = ModelMemory.Of(Gru(1, 2));
        Assert.Equal((120L, 120L, 24L, 264L), (memory.WeightBytes, memory.StateBytes, memory.WindowBytes, memory.TotalBytes));
        RecurrentModel windowed = Gru(1, 2) with { Metadata = ModelMetadata.CreateDefault(1, 2) with { Mode = ExecutionMode.Windowed, WindowLength = 100 } };
        Assert.Equal(2400L, ModelMemory.Of(windowed).WindowBytes);
        Assert.Contains(ModelDescription.Rows(windowed, "-"), row => row == ("memory", "2.6 KiB (2,640 bytes: weights 120 B, state 120 B, window 2.3 KiB)"));
    }

    [Fact]
    public void A_model_file_larger_than_the_limit_is_refused_from_its_size_before_it_is_read()
    {
        string path = Path.Combine(_folder, "huge.elstm");
        using (var file = new FileStream(path, FileMode.Create))
        {
            file.SetLength(ModelFile.MaxFileLength + 1); // sparse: nothing is written, and nothing may be read
        }

        InvalidModelException e = Assert.Throws<InvalidModelException>(() => ModelFile.Load(path));
        Assert.Contains($"{path}: the file is 268,435,581 bytes, larger than any valid model file (268,435,580 bytes at most)", e.Message);
    }
}
