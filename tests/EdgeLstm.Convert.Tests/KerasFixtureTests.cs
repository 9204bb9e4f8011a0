using EdgeLstm.Convert.Metadata;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Convert.Running;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using Xunit.Abstractions;

namespace EdgeLstm.Convert.Tests;

/// <summary>
/// The graphs of tools/train/make_keras_like_graphs.py, shaped like tf2onnx 1.16's Keras exports (batch-major input
/// with a fixed time dimension, Shape → ConstantOfShape zero states, Squeeze/Slice glue, MatMul + Add heads): the
/// engine against ONNX Runtime and against a numpy transcription of Keras's cell equations, and the window taken
/// from the graph's input shape.
/// </summary>
public sealed class KerasFixtureTests(ITestOutputHelper log)
{
    private const float Float32Tolerance = 1e-5f;

    /// <summary>Each fixture and the time dimension its input fixes.</summary>
    public static TheoryData<string, int> Fixtures => new()
    {
        { "keras_lstm2_stacked", 8 },
        { "keras_lstm_last_step", 8 },
        { "keras_lstm_sequences", 10 },
        { "keras_gru_reset_after", 12 },
    };

    internal static string Folder(string name) => Path.Combine(FixturePaths.Fixtures, "keras", name);

    internal static string Onnx(string name) => Path.Combine(Folder(name), "model.onnx");

    [Fact]
    public void Every_fixture_folder_is_tested()
    {
        string[] folders = [.. Directory.EnumerateDirectories(Path.Combine(FixturePaths.Fixtures, "keras")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(Fixtures.Select(row => (string)row[0]).Order(StringComparer.Ordinal), folders);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Float32_engine_matches_onnx_runtime_and_the_keras_equations(string name, int window)
    {
        ImportedModel imported = GraphImporter.Import(Onnx(name));
        using var ort = new OnnxRuntimeScorer(Onnx(name), imported);
        var engine = new EngineScorer(ModelFile.Load(ModelFile.ToBytes(imported.Model)));
        var inputs = ReferenceData.Load(Path.Combine(Folder(name), "input.csv"));
        var expected = ReferenceData.Load(Path.Combine(Folder(name), "expected.csv"));
        float engineVsOrt = 0, ortVsKeras = 0, engineVsKeras = 0;
        int windows = 0;
        foreach (int seq in inputs.Sequences)
        {
            float[] x = inputs.Sequence(seq);
            Assert.Equal(window * imported.Model.InputSize, x.Length);
            float[] keras = Assert.Single(expected.Of(seq)).Values;
            float[] fromOrt = ort.ScoreWindow(x, window), fromEngine = engine.ScoreWindow(x, window);
            Assert.Equal(keras.Length, fromOrt.Length);
            for (int k = 0; k < keras.Length; k++)
            {
                engineVsOrt = Math.Max(engineVsOrt, Math.Abs(fromEngine[k] - fromOrt[k]));
                ortVsKeras = Math.Max(ortVsKeras, Math.Abs(fromOrt[k] - keras[k]));
                engineVsKeras = Math.Max(engineVsKeras, Math.Abs(fromEngine[k] - keras[k]));
            }
            windows++;
        }
        // And on random windows beyond the fixture's own.
        var random = new Random(5);
        for (int i = 0; i < 20; i++)
        {
            float[] x = [.. Enumerable.Range(0, window * imported.Model.InputSize).Select(_ => (float)(random.NextDouble() * 4 - 2))];
            float[] fromOrt = ort.ScoreWindow(x, window), fromEngine = engine.ScoreWindow(x, window);
            for (int k = 0; k < fromOrt.Length; k++) engineVsOrt = Math.Max(engineVsOrt, Math.Abs(fromEngine[k] - fromOrt[k]));
        }
        log.WriteLine($"{name} float32 ({windows} fixture windows of {window}, 20 random): engine vs ORT {engineVsOrt:G3}, ORT vs Keras equations {ortVsKeras:G3}, engine vs Keras equations {engineVsKeras:G3}");
        Assert.True(windows >= 4, "expected four windows per fixture");
        // ORT agreeing with the Keras equations shows the graph is what tf2onnx makes of Keras (gate order, biases, reset_after).
        Assert.True(ortVsKeras <= Float32Tolerance, $"ORT vs Keras equations {ortVsKeras:G4}");
        Assert.True(engineVsOrt <= Float32Tolerance, $"engine vs ORT {engineVsOrt:G4}");
        Assert.True(engineVsKeras <= Float32Tolerance, $"engine vs Keras equations {engineVsKeras:G4}");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Int8_engine_stays_within_its_tolerance_of_the_keras_equations(string name, int window)
    {
        ImportedModel imported = GraphImporter.Import(Onnx(name));
        var engine = new EngineScorer(ModelFile.Load(ModelFile.ToBytes(imported.Model.Quantize())));
        var inputs = ReferenceData.Load(Path.Combine(Folder(name), "input.csv"));
        var expected = ReferenceData.Load(Path.Combine(Folder(name), "expected.csv"));
        float maxError = 0;
        foreach (int seq in inputs.Sequences)
        {
            float[] got = engine.ScoreWindow(inputs.Sequence(seq), window);
            float[] keras = Assert.Single(expected.Of(seq)).Values;
            for (int k = 0; k < keras.Length; k++) maxError = Math.Max(maxError, Math.Abs(got[k] - keras[k]));
        }
        log.WriteLine($"{name} int8: max abs error vs Keras equations {maxError:G3}");
        Assert.True(maxError <= TorchParityTests.Int8Tolerance, $"max abs error {maxError:G4}");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_window_is_taken_from_the_graph_input(string name, int window)
    {
        ImportedModel imported = GraphImporter.Import(Onnx(name));
        Assert.Equal(window, imported.StaticTimeSteps);
        Assert.Equal(new InputLayout(1, 0, 2), imported.Layout);
        var (metadata, execution) = MetadataBuilder.BuildWithExecution(imported, null, null, name);
        Assert.Equal(ExecutionMode.Windowed, metadata.Mode);
        Assert.Equal(window, metadata.WindowLength);
        Assert.Equal(1, metadata.Stride);
        Assert.Equal(WindowSource.GraphInput, execution.Source);
        Assert.Contains($", {window}, ", execution.Describe());
        Assert.Contains("from the graph's input shape", execution.Describe());
    }

    [Fact]
    public void Fixtures_keep_the_tf2onnx_shape()
    {
        // Guards against the fixtures silently losing what they are there to test.
        foreach (string name in Fixtures.Select(row => (string)row[0]))
        {
            ModelProto proto = OnnxFile.Load(Onnx(name));
            Assert.Contains(proto.OpsetImport, o => o.Domain == "ai.onnx.ml");
            var dims = proto.Graph.Input[0].Type.TensorType.Shape.Dim;
            Assert.StartsWith("unk__", dims[0].DimParam);
            Assert.True(dims[1].DimValue > 0, $"{name}: the time dimension is not fixed");
            string[] ops = [.. proto.Graph.Node.Select(n => n.OpType)];
            foreach (string op in new[] { "Transpose", "Shape", "Cast", "Slice", "Concat", "ConstantOfShape", "Unsqueeze", "Squeeze", "MatMul", "Add" })
                Assert.Contains(op, ops);
            foreach (NodeProto rnn in proto.Graph.Node.Where(n => n.OpType is "LSTM" or "GRU"))
            {
                Assert.Equal("", rnn.Input[4]); // no sequence_lens
                // The initial state is computed from the batch size at run time: Unsqueeze(ConstantOfShape(...)).
                NodeProto state = proto.Graph.Node.Single(n => n.Output.Contains(rnn.Input[5]));
                Assert.Equal("Unsqueeze", state.OpType);
                Assert.Equal("ConstantOfShape", proto.Graph.Node.Single(n => n.Output.Contains(state.Input[0])).OpType);
                if (rnn.OpType == "GRU") Assert.Equal(1, rnn.Attribute.Single(a => a.Name == "linear_before_reset").I);
            }
        }
        Assert.Equal(2, OnnxFile.Load(Onnx("keras_lstm2_stacked")).Graph.Node.Count(n => n.OpType == "LSTM"));
        Assert.Equal(9, OnnxFile.Load(Onnx("keras_lstm2_stacked")).OpsetImport.Single(o => o.Domain == "").Version);
        RecurrentModel stacked = GraphImporter.Import(Onnx("keras_lstm2_stacked")).Model;
        Assert.Equal([ActivationKind.Relu, ActivationKind.Softmax], stacked.Head.Select(d => d.Activation));
        Assert.True(GraphImporter.Import(Onnx("keras_gru_reset_after")).Model.Layers[0].LinearBeforeReset);
        // return_sequences=True then x[:, -1, :]: tf2onnx's Slice over all three axes.
        NodeProto slice = OnnxFile.Load(Onnx("keras_lstm_sequences")).Graph.Node.Last(n => n.OpType == "Slice");
        Assert.Equal(4, slice.Input.Count);
    }

    [Fact]
    public void Onnx_runtime_scorer_names_the_fixed_length_instead_of_failing_inside_ort()
    {
        ImportedModel imported = GraphImporter.Import(Onnx("keras_lstm_last_step"));
        using var ort = new OnnxRuntimeScorer(Onnx("keras_lstm_last_step"), imported);
        Assert.Equal(8, ort.FixedSteps);
        var e = Assert.Throws<ConversionException>(() => ort.ScorePrefixes(new float[8 * 5], 8));
        Assert.Contains("input 'lstm_input' [unk__", e.Message);
        Assert.Contains("fixes the time dimension at 8 steps; ONNX Runtime cannot run it on 1", e.Message);
    }
}
