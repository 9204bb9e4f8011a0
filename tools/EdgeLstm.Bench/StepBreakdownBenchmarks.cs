using BenchmarkDotNet.Attributes;
using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Bench;

/// <summary>
/// The matrix part of one int8 streaming step on its own: the engine's packed int8 kernel
/// (<see cref="FusedInt8Lstm.ProjectInputs"/>, one step) over each of the step's four matrices of the benchmark model
/// (W0 4H × 8, R0, W1, R1 4H × H), with their dequantization and nothing else. An EdgeLstm int8 step minus this is
/// its element-wise, quantization and head work.
/// </summary>
public class StepBreakdownBenchmarks
{
    private PackedInt8Lstm[] _matrices = null!;
    private sbyte[][] _inputs = null!;
    private byte[][] _biased = null!;
    private float[] _projection = null!;
    private static readonly float[] Scale = [0.01f];

    /// <summary>Hidden units per layer.</summary>
    [Params(32, 64, 128, 256)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        RecurrentModel model = BenchmarkModels.Lstm(EngineSet.Inputs, Hidden, 2, EngineSet.Classes).Quantize();
        // Each matrix packed as an input matrix, so one ProjectInputs call is exactly its matvec and dequantization.
        _matrices = [.. model.Layers.SelectMany(layer => new[] { layer.Directions[0].W, layer.Directions[0].R })
            .Select(matrix => new PackedInt8Lstm(matrix, model.Layers[0].Directions[0].R, new float[4 * Hidden], Hidden, 0))];
        var random = new Random(5);
        _inputs = [.. _matrices.Select(m => new sbyte[m.InputStride])];
        foreach (sbyte[] input in _inputs)
            for (int i = 0; i < input.Length; i++) input[i] = (sbyte)random.Next(-127, 128);
        _biased = [.. _inputs.Select(input => input.Select(v => (byte)(v + 128)).ToArray())];
        _projection = new float[_matrices[0].ProjectionLength];
    }

    /// <summary>All four matrix–vector products of one 2-layer step, in the engine's packed layout.</summary>
    [Benchmark]
    public float Int8StepMatVecs()
    {
        for (int m = 0; m < _matrices.Length; m++)
            FusedInt8Lstm.ProjectInputs(FusedInt8Lstm.BestPath, _matrices[m], _inputs[m], _biased[m], Scale, 1, _projection);
        return _projection[0];
    }
}
