using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeLstm.Bench;

// --check: run every engine comparison model once and print how far each engine is from EdgeLstm float32.
// --quick: every benchmark once (BenchmarkDotNet's Dry job, in process: no per-benchmark build), for CI; measures nothing.
// Anything else goes to BenchmarkDotNet's switcher (--filter, --list, --job).
if (args.Contains("--check") || args.Contains("--quick"))
{
    foreach (int hidden in new[] { 32, 64, 128, 256 })
    {
        using var engines = new EngineSet(hidden, windowLength: 64);
        (float ortFloat, float ortInt8, float edgeInt8, float spread) = engines.Check();
        Console.WriteLine($"H = {hidden,3}: max |output - EdgeLstm float32|: ORT float32 {ortFloat:E1}, ORT int8 {ortInt8:E1}, EdgeLstm int8 {edgeInt8:E1} (outputs span {spread:F3})");
    }
    if (args.Contains("--check")) return 0;
}

// --spin ENGINE H SECONDS: streaming steps in a loop, for a profiler (perf record) to attach to.
// ENGINE is edge-float32, edge-int8, ort-float32 or ort-int8, or edge-int8:PATH for the int8 engine on a forced fused
// kernel path (Avx2, Ssse3, ... as Int8Path names it; the CPU must have it).
if (args.Length == 4 && args[0] == "--spin")
{
    using var engines = new EngineSet(int.Parse(args[2]), windowLength: 64);
    Action<ReadOnlySpan<float>, Span<float>> step = args[1] switch
    {
        "edge-float32" => engines.EdgeFloat32.Step,
        "edge-int8" => engines.EdgeInt8.Step,
        "ort-float32" => engines.OrtFloat32.Step,
        "ort-int8" => engines.OrtInt8.Step,
        string forced when forced.StartsWith("edge-int8:", StringComparison.Ordinal) =>
            (engines.EdgeInt8On(Enum.Parse<EdgeLstm.Core.Kernels.Int8Path>(forced["edge-int8:".Length..], ignoreCase: true))
                ?? throw new ArgumentException($"This CPU has no fused int8 path '{forced}'.")).Step,
        _ => throw new ArgumentException($"Unknown engine '{args[1]}'."),
    };
    float[] output = new float[EngineSet.Classes];
    var clock = System.Diagnostics.Stopwatch.StartNew();
    long steps = 0;
    while (clock.Elapsed.TotalSeconds < double.Parse(args[3]))
    {
        for (int i = 0; i < 1000; i++) step(engines.Window.AsSpan(0, EngineSet.Inputs), output);
        steps += 1000;
    }
    Console.WriteLine($"{steps} steps, {clock.Elapsed.TotalMicroseconds / steps:F2} µs each (wall clock, not a benchmark)");
    return 0;
}

// --journal-cost [PASSES]: the journal's CPU and throughput next to the pipeline's own, process CPU time (all threads).
if (args.Length >= 1 && args[0] == "--journal-cost")
{
    return JournalCost.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
}

// The benchmarks are this assembly's (named by EngineSet: typeof(Program) would be ambiguous, the runtime's own
// Program being visible here for RuntimeThroughputBenchmarks).
if (args.Contains("--quick"))
{
    IConfig quick = DefaultConfig.Instance.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance));
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(EngineSet).Assembly).Run(["--filter", "*"], quick);
    // Non-zero exit when any benchmark failed to run, so CI notices.
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}

// Medians always shown: the 2-core build machines these run on are noisy, and medians resist the outliers.
IConfig config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median);
BenchmarkSwitcher.FromAssembly(typeof(EngineSet).Assembly).Run(args, config);
return 0;
