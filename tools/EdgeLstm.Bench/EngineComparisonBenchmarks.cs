using BenchmarkDotNet.Attributes;

namespace EdgeLstm.Bench;

/// <summary>
/// One streaming step (one sample in, one prediction out, state carried), EdgeLstm against ONNX Runtime on the same
/// weights; the Ratio column is against ONNX Runtime float32.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes in GlobalCleanup.")]
public class StreamingComparisonBenchmarks
{
    private EngineSet _engines = null!;
    private readonly float[] _output = new float[EngineSet.Classes];

    /// <summary>Hidden units per layer.</summary>
    [Params(32, 64, 128, 256)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engines = new EngineSet(Hidden, windowLength: 64);
        _engines.Check();
    }

    [GlobalCleanup]
    public void Cleanup() => _engines.Dispose();

    [Benchmark(Baseline = true)]
    public float OrtFloat32()
    {
        _engines.OrtFloat32.Step(_engines.Window.AsSpan(0, EngineSet.Inputs), _output);
        return _output[0];
    }

    [Benchmark]
    public float OrtInt8()
    {
        _engines.OrtInt8.Step(_engines.Window.AsSpan(0, EngineSet.Inputs), _output);
        return _output[0];
    }

    [Benchmark]
    public float EdgeLstmFloat32()
    {
        _engines.EdgeFloat32.Step(_engines.Window.AsSpan(0, EngineSet.Inputs), _output);
        return _output[0];
    }

    [Benchmark]
    public float EdgeLstmInt8()
    {
        _engines.EdgeInt8.Step(_engines.Window.AsSpan(0, EngineSet.Inputs), _output);
        return _output[0];
    }
}

/// <summary>
/// One window of T = 64 samples from zero state to one prediction, EdgeLstm against ONNX Runtime on the same weights;
/// the Ratio column is against ONNX Runtime float32.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes in GlobalCleanup.")]
public class WindowComparisonBenchmarks
{
    private EngineSet _engines = null!;
    private readonly float[] _output = new float[EngineSet.Classes];

    /// <summary>Hidden units per layer.</summary>
    [Params(32, 64, 128, 256)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engines = new EngineSet(Hidden, windowLength: 64);
        _engines.Check();
    }

    [GlobalCleanup]
    public void Cleanup() => _engines.Dispose();

    [Benchmark(Baseline = true)]
    public float OrtFloat32()
    {
        _engines.OrtFloat32.RunWindow(_engines.Window, _output);
        return _output[0];
    }

    [Benchmark]
    public float OrtInt8()
    {
        _engines.OrtInt8.RunWindow(_engines.Window, _output);
        return _output[0];
    }

    [Benchmark]
    public float EdgeLstmFloat32()
    {
        _engines.EdgeFloat32.RunWindow(_engines.Window, _output);
        return _output[0];
    }

    [Benchmark]
    public float EdgeLstmInt8()
    {
        _engines.EdgeInt8.RunWindow(_engines.Window, _output);
        return _output[0];
    }
}
