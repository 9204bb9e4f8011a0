using BenchmarkDotNet.Attributes;

namespace EdgeLstm.Bench;

/// <summary>The four engines on the same weights, built and checked against each other once per hidden size.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes in GlobalCleanup.")]
public abstract class EngineComparison
{
    /// <summary>The engines under test.</summary>
    protected EngineSet Engines { get; private set; } = null!;

    /// <summary>Where each call writes its prediction.</summary>
    protected float[] Output { get; } = new float[EngineSet.Classes];

    /// <summary>Hidden units per layer.</summary>
    [Params(32, 64, 128, 256)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Engines = new EngineSet(Hidden, windowLength: 64);
        Engines.Check();
    }

    [GlobalCleanup]
    public void Cleanup() => Engines.Dispose();
}

/// <summary>
/// One streaming step (one sample in, one prediction out, state carried), EdgeLstm against ONNX Runtime on the same
/// weights; the Ratio column is against ONNX Runtime float32.
/// </summary>
[MemoryDiagnoser]
public class StreamingComparisonBenchmarks : EngineComparison
{
    [Benchmark(Baseline = true)]
    public float OrtFloat32()
    {
        Engines.OrtFloat32.Step(Engines.Window.AsSpan(0, EngineSet.Inputs), Output);
        return Output[0];
    }

    [Benchmark]
    public float OrtInt8()
    {
        Engines.OrtInt8.Step(Engines.Window.AsSpan(0, EngineSet.Inputs), Output);
        return Output[0];
    }

    [Benchmark]
    public float EdgeLstmFloat32()
    {
        Engines.EdgeFloat32.Step(Engines.Window.AsSpan(0, EngineSet.Inputs), Output);
        return Output[0];
    }

    [Benchmark]
    public float EdgeLstmInt8()
    {
        Engines.EdgeInt8.Step(Engines.Window.AsSpan(0, EngineSet.Inputs), Output);
        return Output[0];
    }
}

/// <summary>
/// One window of T = 64 samples from zero state to one prediction, EdgeLstm against ONNX Runtime on the same weights;
/// the Ratio column is against ONNX Runtime float32.
/// </summary>
[MemoryDiagnoser]
public class WindowComparisonBenchmarks : EngineComparison
{
    [Benchmark(Baseline = true)]
    public float OrtFloat32()
    {
        Engines.OrtFloat32.RunWindow(Engines.Window, Output);
        return Output[0];
    }

    [Benchmark]
    public float OrtInt8()
    {
        Engines.OrtInt8.RunWindow(Engines.Window, Output);
        return Output[0];
    }

    [Benchmark]
    public float EdgeLstmFloat32()
    {
        Engines.EdgeFloat32.RunWindow(Engines.Window, Output);
        return Output[0];
    }

    [Benchmark]
    public float EdgeLstmInt8()
    {
        Engines.EdgeInt8.RunWindow(Engines.Window, Output);
        return Output[0];
    }
}
