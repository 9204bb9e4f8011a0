using EdgeLstm.Convert.Metadata;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Tests;

/// <summary>What the importer reads from the graphs: input layout, head input, metadata.</summary>
public sealed class ImporterTests
{
    private static ImportedModel Torch(string name) => GraphImporter.Import(Path.Combine(FixturePaths.Torch(name), "model.onnx"));

    [Theory]
    [InlineData("lstm1_classifier", 1, 0)]   // batch_first: [batch, time, channels]
    [InlineData("lstm2_regressor", 0, 1)]    // [time, batch, channels]
    [InlineData("bigru2_classifier", 0, 1)]
    [InlineData("bilstm2", 1, 0)]
    public void Input_layout_follows_batch_first(string name, int timeAxis, int batchAxis)
    {
        InputLayout layout = Torch(name).Layout;
        Assert.Equal(new InputLayout(timeAxis, batchAxis, 2), layout);
    }

    [Fact]
    public void Layout_1_graph_input_is_batch_major()
    {
        ImportedModel m = GraphImporter.Import(Path.Combine(FixturePaths.Fixtures, "onnx", "lstm_peephole_clip_layout1.onnx"));
        Assert.Equal(new InputLayout(1, 0, 2), m.Layout);
    }

    [Theory]
    [InlineData("lstm2_final_state", HeadInput.FinalState, 2)]
    [InlineData("bigru1_final_state", HeadInput.FinalState, 1)]
    [InlineData("lstm3_mlp_head", HeadInput.LastStep, 3)]
    [InlineData("bilstm2", HeadInput.LastStep, 2)]
    public void Head_input_and_layer_count(string name, HeadInput headInput, int layers)
    {
        RecurrentModel model = Torch(name).Model;
        Assert.Equal(headInput, model.HeadInput);
        Assert.Equal(layers, model.Layers.Count);
    }

    [Fact]
    public void Torch_tanh_before_linear_becomes_an_identity_dense_layer()
    {
        RecurrentModel model = Torch("lstm2_final_state").Model;
        Assert.Equal(2, model.Head.Count);
        Assert.Equal(ActivationKind.Tanh, model.Head[0].Activation);
        Assert.Equal(7, model.Head[0].OutputSize);
    }

    [Fact]
    public void Metadata_from_metadata_props()
    {
        ImportedModel imported = Torch("lstm1_classifier");
        ModelMetadata m = MetadataBuilder.Build(imported, null, "lstm1");
        Assert.False(m.IsDefault);
        Assert.Equal("pump-bearing", m.Name);
        Assert.Equal(new ChannelInfo("current", "A", 4.5f, 0.5f), m.Channels[3]);
        Assert.Equal(["normal", "imbalance", "wear"], m.OutputNames);
        Assert.Equal(OutputKind.Classifier, m.OutputKind);
        Assert.Equal(ExecutionMode.Streaming, m.Mode);
    }

    [Fact]
    public void Sidecar_overrides_metadata_props_field_by_field()
    {
        ImportedModel imported = Torch("lstm1_classifier");
        var sidecar = new Sidecar { Name = "override", Mode = "windowed", Window = 24, Stride = 6, SampleRateHz = 100 };
        ModelMetadata m = MetadataBuilder.Build(imported, sidecar, "lstm1");
        Assert.Equal("override", m.Name);
        Assert.Equal(100f, m.SampleRateHz);
        Assert.Contains("sample rate", Assert.Throws<ConversionException>(
            () => MetadataBuilder.Build(imported, new Sidecar { SampleRateHz = -1 }, "lstm1")).Message);
        Assert.Equal("meta.json: metadata 'mode' is 'batch': expected streaming (or stateful) or windowed.", Assert.Throws<ConversionException>(
            () => MetadataBuilder.Build(imported, new Sidecar { Mode = "batch" }, "lstm1", "meta.json")).Message);
        Assert.Equal(ExecutionMode.Windowed, m.Mode);
        Assert.Equal(24, m.WindowLength);
        Assert.Equal(6, m.Stride);
        Assert.Equal("vib_x", m.Channels[0].Name); // not in the sidecar: kept from metadata_props
    }

    [Fact]
    public void Without_metadata_the_defaults_are_marked()
    {
        ModelMetadata m = MetadataBuilder.Build(Torch("lstm3_mlp_head"), null, "lstm3");
        Assert.True(m.IsDefault);
        Assert.Equal(["x0", "x1", "x2", "x3", "x4", "x5"], m.Channels.Select(c => c.Name));
        Assert.All(m.Channels, c => Assert.Equal((0f, 1f), (c.Mean, c.Std)));
        Assert.Equal(["y0", "y1", "y2", "y3"], m.OutputNames);
    }

    [Fact]
    public void Softmax_head_defaults_to_classifier()
    {
        Assert.Equal(OutputKind.Classifier, MetadataBuilder.Build(Torch("gru2_slice_head"), null, "g").OutputKind);
        Assert.Equal(OutputKind.Regressor, MetadataBuilder.Build(Torch("gru1_regressor"), null, "g").OutputKind);
    }

    [Fact]
    public void Bidirectional_model_without_a_window_length_is_rejected()
    {
        ImportedModel imported = Torch("bilstm2") with { MetadataProps = new Dictionary<string, string>() };
        var e = Assert.Throws<ConversionException>(() => MetadataBuilder.Build(imported, null, "bilstm2.onnx"));
        Assert.Contains("edgelstm.window", e.Message);
        Assert.Equal(ExecutionMode.Windowed, MetadataBuilder.Build(imported, new Sidecar { Window = 10 }, "b").Mode);
    }

    [Fact]
    public void Metadata_props_with_a_wrong_count_name_the_key()
    {
        ImportedModel imported = Torch("lstm3_mlp_head") with { MetadataProps = new Dictionary<string, string> { ["edgelstm.channels"] = "a,b" } };
        var e = Assert.Throws<ConversionException>(() => MetadataBuilder.Build(imported, null, "m.onnx"));
        Assert.Equal("m.onnx: metadata 'edgelstm.channels' is 'a,b': 2 entries, but the model has 6 input channels.", e.Message);
    }

    [Fact]
    public void Tensor_data_rejects_a_raw_size_that_does_not_match_the_shape()
    {
        var tensor = new Onnx.Proto.TensorProto { Name = "w", DataType = 1, RawData = Google.Protobuf.ByteString.CopyFrom(new byte[10]) };
        tensor.Dims.Add(3);
        var e = Assert.Throws<ConversionException>(() => TensorData.FromProto(tensor, "m.onnx"));
        Assert.Contains("holds 10 bytes but its shape [3] needs 12", e.Message);
    }
}
