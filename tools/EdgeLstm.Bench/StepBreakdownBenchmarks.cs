using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace EdgeLstm.Bench;

/// <summary>
/// The matrix part of one int8 streaming step on its own: the plain AVX-VNNI matvec (<see cref="PlainInt8MatVec"/>)
/// over matrices of the step's shapes (W0 4H × 8, padded to 32 columns; R0, W1, R1 4H × H). Its time is the floor of
/// the engine's matvec work; an EdgeLstm int8 step minus this is its element-wise, quantization and head work.
/// </summary>
public class StepBreakdownBenchmarks
{
    private sbyte[] _input = null!, _square = null!;
    private byte[] _x = null!, _h = null!;
    private int[] _result = null!;

    /// <summary>Hidden units per layer.</summary>
    [Params(32, 64, 128, 256)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        int rows = 4 * Hidden;
        _input = new sbyte[rows * 32];
        _square = new sbyte[3 * rows * Hidden];
        _x = new byte[32];
        _h = new byte[Hidden];
        _result = new int[rows];
        random.NextBytes((byte[])(Array)_input);
        random.NextBytes((byte[])(Array)_square);
        random.NextBytes(_x);
        random.NextBytes(_h);
    }

    /// <summary>All four matvecs of one 2-layer step.</summary>
    [Benchmark]
    public int Int8StepMatVecs()
    {
        if (!AvxVnni.IsSupported) return 0;
        int rows = 4 * Hidden, square = rows * Hidden;
        PlainInt8MatVec.Multiply(_input, rows, 32, _x, _result);
        int total = _result[0];
        for (int m = 0; m < 3; m++)
        {
            PlainInt8MatVec.Multiply(_square.AsSpan(m * square, square), rows, Hidden, _h, _result);
            total += _result[m];
        }
        return total;
    }
}
