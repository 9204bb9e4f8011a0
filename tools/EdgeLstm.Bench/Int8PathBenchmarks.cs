using BenchmarkDotNet.Attributes;
using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Bench;

/// <summary>
/// Each int8 kernel path this CPU has, forced, on the H = 256 model's three 1024 × 256 matrices (786 K MACs, 768 KB,
/// L2-resident): the fused LSTM's packed kernel (<see cref="FusedInt8Lstm.ProjectInputs"/>, one step, dequantization
/// included) and the general matvec (<see cref="Int8MatVec"/>, row-major: GRU, bidirectional and other non-fused
/// layers). <c>Scalar</c> is the reference every path is measured against; a machine with AVX-VNNI measures the AVX2
/// and SSSE3 paths too (the paths the default x64 build and AVX2-only CPUs run). Compare with the register peaks of
/// <see cref="MachineLimitBenchmarks"/>.
/// </summary>
public class Int8PathBenchmarks
{
    private const int Rows = MachineLimitBenchmarks.Rows, Columns = MachineLimitBenchmarks.Columns;
    private readonly sbyte[][] _matrices = new sbyte[3][];
    private PackedInt8Lstm[] _packed = null!;
    private readonly sbyte[] _vector = new sbyte[Columns];
    private readonly byte[] _biased = new byte[Columns];
    private readonly int[][] _rowSums = new int[3][];
    private readonly int[] _result = new int[Rows];
    private readonly float[] _projection = new float[Rows];
    private static readonly float[] Scale = [0.01f];
    private Int8Path _path;

    /// <summary>The paths this CPU runs (names of <c>Int8Path</c>), best first.</summary>
    public static IEnumerable<string> Paths => Int8Paths.Supported.Select(p => p.ToString());

    /// <summary>The forced path.</summary>
    [ParamsSource(nameof(Paths))]
    public string Path { get; set; } = nameof(Int8Path.Scalar);

    [GlobalSetup]
    public void Setup()
    {
        _path = Enum.Parse<Int8Path>(Path);
        var random = new Random(3);
        for (int i = 0; i < Columns; i++)
        {
            _vector[i] = (sbyte)random.Next(-127, 128);
            _biased[i] = (byte)(_vector[i] + 128);
        }
        for (int m = 0; m < 3; m++)
        {
            _matrices[m] = new sbyte[Rows * Columns];
            for (int i = 0; i < _matrices[m].Length; i++) _matrices[m][i] = (sbyte)random.Next(-127, 128);
            _rowSums[m] = new int[Rows];
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < Columns; c++) _rowSums[m][r] += 128 * _matrices[m][r * Columns + c];
        }
        _packed = [.. _matrices.Select(values =>
        {
            var matrix = WeightMatrix.FromInt8(Rows, Columns, values, Enumerable.Repeat(0.01f, Rows).ToArray());
            return new PackedInt8Lstm(matrix, matrix, new float[Rows], Rows / 4, 0);
        })];
    }

    /// <summary>The fused LSTM's packed kernel over the three matrices (0 for <c>Vector128</c>, which it does not have).</summary>
    [Benchmark]
    public float FusedPackedH256()
    {
        if (!FusedInt8Lstm.Implements(_path)) return 0;
        float total = 0;
        foreach (PackedInt8Lstm matrix in _packed)
        {
            FusedInt8Lstm.ProjectInputs(_path, matrix, _vector, _biased, Scale, 1, _projection);
            total += _projection[0];
        }
        return total;
    }

    /// <summary>The general int8 matvec over the three matrices, row-major.</summary>
    [Benchmark]
    public int MatVecH256()
    {
        int total = 0;
        for (int m = 0; m < 3; m++)
        {
            Int8MatVec.Multiply(_path, _matrices[m], Rows, Columns, Columns, _vector, _biased, _rowSums[m], _result);
            total += _result[0];
        }
        return total;
    }
}

/// <summary>
/// One streaming step of EdgeLstm int8 with its fused LSTM kernel forced onto each x64 path, beside ONNX Runtime float32
/// (the Ratio column's baseline) and int8 on the same weights, in one run: how the default x64 build (SSSE3) and an
/// AVX2-only CPU compare, measured on any x64 machine that has those paths. A path the CPU lacks returns NaN at once.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes in GlobalCleanup.")]
public class StreamingPathBenchmarks
{
    private EngineSet _engines = null!;
    private Predictor? _avxVnni, _avx2, _ssse3;
    private readonly float[] _output = new float[EngineSet.Classes];

    /// <summary>Hidden units per layer: the two targets (H = 64 against ORT float32, H = 256 against ORT int8).</summary>
    [Params(64, 256)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engines = new EngineSet(Hidden, windowLength: 64);
        _engines.Check();
        _avxVnni = _engines.EdgeInt8On(Int8Path.AvxVnni);
        _avx2 = _engines.EdgeInt8On(Int8Path.Avx2);
        _ssse3 = _engines.EdgeInt8On(Int8Path.Ssse3);
    }

    [GlobalCleanup]
    public void Cleanup() => _engines.Dispose();

    [Benchmark(Baseline = true)]
    public float OrtFloat32() => Step(_engines.OrtFloat32);

    [Benchmark]
    public float OrtInt8() => Step(_engines.OrtInt8);

    /// <summary>The path this CPU picks by itself.</summary>
    [Benchmark]
    public float EdgeLstmInt8() => Step(_engines.EdgeInt8);

    [Benchmark]
    public float EdgeLstmInt8AvxVnni() => _avxVnni is null ? float.NaN : Step(_avxVnni);

    [Benchmark]
    public float EdgeLstmInt8Avx2() => _avx2 is null ? float.NaN : Step(_avx2);

    [Benchmark]
    public float EdgeLstmInt8Ssse3() => _ssse3 is null ? float.NaN : Step(_ssse3);

    private float Step(Predictor predictor)
    {
        predictor.Step(_engines.Window.AsSpan(0, EngineSet.Inputs), _output);
        return _output[0];
    }

    private float Step(OrtLstm ort)
    {
        ort.Step(_engines.Window.AsSpan(0, EngineSet.Inputs), _output);
        return _output[0];
    }
}
