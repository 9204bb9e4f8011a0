using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Running;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Tests;

/// <summary>
/// Where ONNX Runtime applies LSTM <c>clip</c>: a plain reference LSTM (sharing no code with the engine) with clip
/// on the gate pre-activations only matches ORT, while the same reference that also clips the cell state
/// before h does not — so the agreement of the engine with ORT on this graph is evidence about clip semantics.
/// </summary>
public sealed class ClipSemanticsTests
{
    [Fact]
    public void Onnx_runtime_clips_gate_pre_activations_but_not_the_cell_state()
    {
        string path = Path.Combine(FixturePaths.Fixtures, "onnx", "lstm_strong_clip.onnx");
        ImportedModel imported = GraphImporter.Import(path);
        using var ort = new OnnxRuntimeScorer(path, imported);
        var random = new Random(7);
        float gatesOnly = 0, withCell = 0;
        for (int trial = 0; trial < 20; trial++)
        {
            int steps = 12;
            float[] x = [.. Enumerable.Range(0, steps * 2).Select(_ => (float)(random.NextDouble() * 6 - 3))];
            float want = ort.ScoreWindow(x, steps)[0];
            gatesOnly = Math.Max(gatesOnly, Math.Abs(want - Reference(imported.Model, x, steps, clipCell: false)));
            withCell = Math.Max(withCell, Math.Abs(want - Reference(imported.Model, x, steps, clipCell: true)));
        }
        Assert.True(gatesOnly <= 1e-5f, $"gate-only clipping differs from ORT by {gatesOnly}");
        Assert.True(withCell > 1e-3f, $"clipping the cell state too changes nothing ({withCell}); the graph cannot tell the two apart");
    }

    /// <summary>ONNX LSTM equations (gates i, o, f, c), one direction, then the Gemm head.</summary>
    private static float Reference(RecurrentModel model, float[] x, int steps, bool clipCell)
    {
        RecurrentLayer layer = model.Layers[0];
        DirectionWeights w = layer.Directions[0];
        int n = layer.HiddenSize, inputs = layer.InputSize;
        float[] wv = w.W.ToFloat(), rv = w.R.ToFloat();
        var h = new double[n];
        var c = new double[n];
        double Clip(double v) => Math.Clamp(v, -layer.Clip, layer.Clip);
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        for (int t = 0; t < steps; t++)
        {
            var pre = new double[4 * n];
            for (int r = 0; r < 4 * n; r++)
            {
                double s = w.InputBias[r] + w.RecurrenceBias[r];
                for (int k = 0; k < inputs; k++) s += wv[r * inputs + k] * x[t * inputs + k];
                for (int k = 0; k < n; k++) s += rv[r * n + k] * h[k];
                pre[r] = Clip(s);
            }
            for (int j = 0; j < n; j++)
            {
                double i = Sigmoid(pre[j]), o = Sigmoid(pre[n + j]), f = Sigmoid(pre[2 * n + j]), g = Math.Tanh(pre[3 * n + j]);
                c[j] = f * c[j] + i * g;
                h[j] = o * Math.Tanh(clipCell ? Clip(c[j]) : c[j]);
            }
        }
        DenseLayer head = model.Head[0];
        float[] hw = head.W.ToFloat();
        double y = head.Bias[0];
        for (int k = 0; k < n; k++) y += hw[k] * h[k];
        return (float)y;
    }
}
