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

if (args.Contains("--quick"))
{
    IConfig quick = DefaultConfig.Instance.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance));
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(["--filter", "*"], quick);
    // Non-zero exit when any benchmark failed to run, so CI notices.
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}

// Medians always shown: the 2-core build machines these run on are noisy, and medians resist the outliers.
IConfig config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
