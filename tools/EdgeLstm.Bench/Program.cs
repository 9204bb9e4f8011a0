using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EdgeLstm.Bench;

/// <summary>
/// Runs the benchmarks. Any BenchmarkDotNet option works (e.g. <c>--filter *Protocol*</c>, <c>--job short</c>);
/// <c>--quick</c> runs every benchmark briefly in-process, to check they work rather than to measure.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        if (args.Contains("--quick"))
        {
            args = args.Where(arg => arg != "--quick").ToArray();
            config = config.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Quick"));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
