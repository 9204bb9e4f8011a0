using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Model;
using Xunit.Abstractions;

namespace EdgeLstm.Convert.Tests;

/// <summary>
/// ONNX's own LSTM/GRU node tests (Fixtures/onnx-rnn-conformance, provenance in its README): each case folder holds model.onnx
/// and test_data_set_*/input_N.pb, output_N.pb. The node is read with the converter's reader, every input but X
/// bound as a constant, and Y / Y_h recomputed by the engine per batch row, float32 within 1e-5. A new case
/// folder dropped into the dataset is picked up without code changes.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-5f;

    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            if (Directory.Exists(FixturePaths.Conformance))
            {
                foreach (string dir in Directory.EnumerateDirectories(FixturePaths.Conformance).Order(StringComparer.Ordinal))
                    if (File.Exists(Path.Combine(dir, "model.onnx"))) data.Add(Path.GetFileName(dir));
            }

            return data;
        }
    }

    [Fact]
    public void Dataset_is_present()
    {
        Assert.True(Directory.Exists(FixturePaths.Conformance), $"conformance dataset not found at {FixturePaths.Conformance}");
        Assert.NotEmpty(Cases);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Engine_reproduces_onnx_reference_outputs(string caseName)
    {
        string folder = Path.Combine(FixturePaths.Conformance, caseName);
        ModelProto model = OnnxFile.Load(Path.Combine(folder, "model.onnx"));
        NodeProto node = Assert.Single(model.Graph.Node, RecurrentNodeReader.IsRecurrent);
        string[] dataSets = [.. Directory.EnumerateDirectories(folder, "test_data_set_*").Order(StringComparer.Ordinal)];
        Assert.NotEmpty(dataSets);
        int compared = 0;
        float maxError = 0;
        foreach (string set in dataSets)
        {
            var bound = new Dictionary<string, TensorData>(StringComparer.Ordinal);
            for (int i = 0; i < model.Graph.Input.Count; i++)
                bound[model.Graph.Input[i].Name] = ReadTensor(Path.Combine(set, $"input_{i}.pb"));
            foreach (TensorProto init in model.Graph.Initializer)
                bound.TryAdd(init.Name, TensorData.FromProto(init, init.Name));
            var case_ = new CaseRunner(node, bound);
            for (int o = 0; o < model.Graph.Output.Count; o++)
            {
                string path = Path.Combine(set, $"output_{o}.pb");
                if (!File.Exists(path)) continue;
                TensorData expected = ReadTensor(path);
                int which = node.Output.IndexOf(model.Graph.Output[o].Name);
                float[] actual = which switch
                {
                    0 => case_.Y(),
                    1 => case_.FinalHidden(),
                    _ => throw new NotSupportedException($"{caseName}: output {model.Graph.Output[o].Name} (Y_c) is not produced by the engine"),
                };
                float[] want = expected.AsFloats();
                Assert.Equal(want.Length, actual.Length);
                for (int k = 0; k < want.Length; k++) maxError = Math.Max(maxError, Math.Abs(want[k] - actual[k]));
                compared++;
            }
        }
        output.WriteLine($"{caseName}: {compared} outputs compared, max abs error {maxError:G3}");
        Assert.True(compared > 0, $"{caseName}: no output_N.pb to compare against");
        Assert.True(maxError <= Tolerance, $"{caseName}: max abs error {maxError:G4} > {Tolerance}");
    }

    private static TensorData ReadTensor(string path) =>
        TensorData.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(path)), path);

    /// <summary>Runs one conformance node per batch row through the engine.</summary>
    private sealed class CaseRunner
    {
        private readonly RecurrentNode[] _perBatch;
        private readonly float[] _x;
        private readonly int _steps, _batch, _inputs, _layout;

        public CaseRunner(NodeProto node, Dictionary<string, TensorData> bound)
        {
            GraphValue?[] inputs = [.. node.Input.Select(n => n.Length == 0 ? null : (GraphValue)new ConstantValue(bound[n]))];
            TensorData x = bound[node.Input[0]];
            _layout = (int)(node.Attribute.FirstOrDefault(a => a.Name == "layout")?.I ?? 0);
            _steps = (int)(_layout == 0 ? x.Dims[0] : x.Dims[1]);
            _batch = (int)(_layout == 0 ? x.Dims[1] : x.Dims[0]);
            _inputs = (int)x.Dims[2];
            _x = x.AsFloats();
            _perBatch = [.. Enumerable.Range(0, _batch).Select(b => RecurrentNodeReader.Read(node, inputs, b, node.OpType))];
        }

        private RecurrentLayer Layer => _perBatch[0].Layer;

        private int Length(int b) => _perBatch[b].SequenceLengths is { } lens ? (int)lens[b] : _steps;

        /// <summary>Rows [from, to) of batch entry b, row-major.</summary>
        private float[] Rows(int b, int from, int to)
        {
            var rows = new float[(to - from) * _inputs];
            for (int t = from; t < to; t++)
            {
                int offset = _layout == 0 ? (t * _batch + b) * _inputs : (b * _steps + t) * _inputs;
                Array.Copy(_x, offset, rows, (t - from) * _inputs, _inputs);
            }
            return rows;
        }

        /// <summary>Final states of the layer for batch entry b after running rows [from, to): [directions × H].</summary>
        private float[] Run(int b, int from, int to)
        {
            RecurrentLayer layer = _perBatch[b].Layer;
            var model = new RecurrentModel([layer], [], HeadInput.FinalState,
                ModelMetadata.CreateDefault(layer.InputSize, layer.OutputSize) with
                {
                    Mode = layer.Direction == RecurrentDirection.Forward ? ExecutionMode.Streaming : ExecutionMode.Windowed,
                });
            var predictor = new Predictor(model, _steps);
            var result = new float[layer.OutputSize];
            predictor.RunWindow(Rows(b, from, to), result);
            return result;
        }

        /// <summary>Y_h in ONNX layout: [D, batch, H] (layout 0) or [batch, D, H] (layout 1).</summary>
        public float[] FinalHidden()
        {
            int dirs = Layer.DirectionCount, h = Layer.HiddenSize;
            var y = new float[dirs * _batch * h];
            for (int b = 0; b < _batch; b++)
            {
                float[] state = Run(b, 0, Length(b));
                for (int d = 0; d < dirs; d++)
                    Array.Copy(state, d * h, y, _layout == 0 ? (d * _batch + b) * h : (b * dirs + d) * h, h);
            }
            return y;
        }

        /// <summary>Y in ONNX layout: [T, D, batch, H] (layout 0) or [batch, T, D, H] (layout 1); zero past a sequence's length.</summary>
        public float[] Y()
        {
            int dirs = Layer.DirectionCount, h = Layer.HiddenSize;
            var y = new float[_steps * dirs * _batch * h];
            for (int b = 0; b < _batch; b++)
            {
                for (int t = 0; t < Length(b); t++)
                {
                    for (int d = 0; d < dirs; d++)
                    {
                        bool reverse = Layer.Direction == RecurrentDirection.Reverse || d == 1;
                        // Forward Y[t] is the state after rows 0..t; reverse Y[t] the state after rows len-1..t.
                        float[] state = reverse ? Run(b, t, Length(b)) : Run(b, 0, t + 1);
                        int offset = _layout == 0 ? ((t * dirs + d) * _batch + b) * h : ((b * _steps + t) * dirs + d) * h;
                        Array.Copy(state, d * h, y, offset, h);
                    }
                }
            }

            return y;
        }
    }
}
