using BenchmarkDotNet.Running;

// Runs the benchmarks chosen on the command line (BenchmarkDotNet's switcher: --filter, --list, --job).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
