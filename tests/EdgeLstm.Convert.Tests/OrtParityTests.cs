using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Running;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using Xunit.Abstractions;

namespace EdgeLstm.Convert.Tests;

/// <summary>
/// The converted model against ONNX Runtime running the original graph: the hand-built graphs (peepholes, clip,
/// constant initial states, layout=1, reverse GRU with Relu, MatMul+Add heads) and every torch fixture.
/// </summary>
public sealed class OrtParityTests(ITestOutputHelper output)
{
    private const float Float32Tolerance = 1e-5f;

    public static TheoryData<string, string> Graphs
    {
        get
        {
            var data = new TheoryData<string, string>();
            string onnx = Path.Combine(FixturePaths.Fixtures, "onnx");
            data.Add(Path.Combine(onnx, "lstm_peephole_clip_layout0.onnx"), Path.Combine(onnx, "lstm_peephole_clip_layout0.onnx"));
            // ORT's CPU LSTM rejects layout=1: its layout=0 twin with the same weights is the reference.
            data.Add(Path.Combine(onnx, "lstm_peephole_clip_layout1.onnx"), Path.Combine(onnx, "lstm_peephole_clip_layout0.onnx"));
            data.Add(Path.Combine(onnx, "gru_reverse_relu.onnx"), Path.Combine(onnx, "gru_reverse_relu.onnx"));
            data.Add(Path.Combine(onnx, "lstm_strong_clip.onnx"), Path.Combine(onnx, "lstm_strong_clip.onnx"));
            data.Add(Path.Combine(onnx, "keras_like_lstm_relu.onnx"), Path.Combine(onnx, "keras_like_lstm_relu.onnx"));
            foreach (string name in FixturePaths.TorchFixtureNames)
            {
                string path = Path.Combine(FixturePaths.Torch(name), "model.onnx");
                data.Add(path, path);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Float32_engine_matches_onnx_runtime(string converted, string reference)
    {
        ImportedModel model = GraphImporter.Import(converted);
        ImportedModel referenceModel = GraphImporter.Import(reference);
        using var ort = new OnnxRuntimeScorer(reference, referenceModel);
        var engine = new EngineScorer(ModelFile.Load(ModelFile.ToBytes(model.Model)));
        var random = new Random(42);
        float maxError = 0;
        foreach (int steps in new[] { 1, 2, 7, 20 })
        {
            float[] x = [.. Enumerable.Range(0, steps * model.Model.InputSize).Select(_ => (float)(random.NextDouble() * 4 - 2))];
            float[] want = ort.ScoreWindow(x, steps);
            float[] got = engine.ScoreWindow(x, steps);
            Assert.Equal(want.Length, got.Length);
            for (int k = 0; k < want.Length; k++) maxError = Math.Max(maxError, Math.Abs(want[k] - got[k]));
        }
        output.WriteLine($"{Path.GetFileName(Path.GetDirectoryName(converted))}/{Path.GetFileName(converted)}: max abs error vs ORT {maxError:G3}");
        Assert.True(maxError <= Float32Tolerance, $"max abs error {maxError:G4} > {Float32Tolerance}");
    }

    [Fact]
    public void Hand_built_graphs_keep_their_special_features()
    {
        // Guards against the fixtures silently losing what they are there to test.
        string onnx = Path.Combine(FixturePaths.Fixtures, "onnx");
        RecurrentModel peephole = GraphImporter.Import(Path.Combine(onnx, "lstm_peephole_clip_layout1.onnx")).Model;
        Assert.NotNull(peephole.Layers[0].Directions[0].Peepholes);
        Assert.NotNull(peephole.Layers[0].Directions[0].InitialHidden);
        Assert.NotNull(peephole.Layers[0].Directions[0].InitialCell);
        Assert.Equal(0.6f, peephole.Layers[0].Clip);
        Assert.Equal(HeadInput.FinalState, peephole.HeadInput);
        RecurrentModel gru = GraphImporter.Import(Path.Combine(onnx, "gru_reverse_relu.onnx")).Model;
        Assert.Equal(RecurrentDirection.Reverse, gru.Layers[0].Direction);
        Assert.False(gru.Layers[0].LinearBeforeReset);
        Assert.Equal([ActivationKind.Sigmoid, ActivationKind.Relu], gru.Layers[0].Activations);
        Assert.Equal(ActivationKind.Softmax, gru.Head[^1].Activation);
    }

    [Fact]
    public void Clip_changes_the_output_so_the_clip_test_can_fail()
    {
        ImportedModel clipped = GraphImporter.Import(Path.Combine(FixturePaths.Fixtures, "onnx", "lstm_strong_clip.onnx"));
        RecurrentModel unclipped = clipped.Model with { Layers = [clipped.Model.Layers[0] with { Clip = 0 }] };
        float[] x = [1.5f, -2f, 0.7f, 2.2f, -1.1f, 0.4f];
        float[] a = new EngineScorer(clipped.Model).ScoreWindow(x, 3);
        float[] b = new EngineScorer(unclipped).ScoreWindow(x, 3);
        Assert.True(Math.Abs(a[0] - b[0]) > 1e-3f, $"clip made no difference ({a[0]} vs {b[0]})");
    }
}
