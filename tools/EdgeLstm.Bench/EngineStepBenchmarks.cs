using BenchmarkDotNet.Attributes;
using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Bench;

/// <summary>
/// One streaming step (state carried) of an 8-channel, 2-layer LSTM with a 4-class softmax head, float32
/// against int8, at the hidden sizes a Pi-class board runs.
/// </summary>
[MemoryDiagnoser]
public class EngineStepBenchmarks
{
    private Predictor _predictor = null!;
    private readonly float[] _sample = new float[8];
    private readonly float[] _output = new float[4];

    /// <summary>Hidden units per layer.</summary>
    [Params(32, 64, 128, 256)]
    public int Hidden { get; set; }

    /// <summary>Engine precision.</summary>
    [Params(ModelPrecision.Float32, ModelPrecision.Int8)]
    public ModelPrecision Precision { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        RecurrentModel model = BenchmarkModels.Lstm(inputs: 8, hidden: Hidden, layers: 2, classes: 4);
        _predictor = new Predictor(Precision == ModelPrecision.Int8 ? model.Quantize() : model);
        var random = new Random(1);
        for (int i = 0; i < _sample.Length; i++) _sample[i] = (float)(random.NextDouble() * 2 - 1);
    }

    /// <summary>One sample in, one prediction out.</summary>
    [Benchmark]
    public float Step()
    {
        _predictor.Step(_sample, _output);
        return _output[0];
    }
}
