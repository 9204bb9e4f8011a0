using System.Collections.Concurrent;
using CsCheck;
using EdgeLstm.Core;
using EdgeLstm.Runtime.Cli;

namespace EdgeLstm.Runtime.Tests.Cli;

/// <summary>
/// What validate accepts, run runs, for hostile models (<see cref="HostileModels"/>): validate refuses with exit 2 and
/// a message, or the model runs a simulated minute through the real pipeline with exit 0. Never an exception, never a
/// stack trace, never a hang. In-process, so 10,000 cases take well under a minute. It keeps both cores busy, so it
/// runs alone, after the other tests (the allocation and delivery tests measure while they run).
/// </summary>
[Collection(HostileModelTests.RunsAlone)]
public class HostileModelTests
{
    /// <summary>The collection of tests that saturate the machine and so run after, not beside, the others.</summary>
    public const string RunsAlone = "runs alone";

    private const int Cases = 10_000;
    private static readonly TimeSpan CaseDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void Validate_refuses_a_hostile_model_or_run_runs_it_for_a_simulated_minute()
    {
        string root = Directory.CreateTempSubdirectory("edgelstm-hostile-").FullName;
        var outcomes = new ConcurrentDictionary<string, int>();
        try
        {
            var folders = new ThreadLocal<string>(() => Directory.CreateDirectory(Path.Combine(root, Guid.NewGuid().ToString("n"))).FullName);
            HostileModels.Specs.Sample(spec =>
            {
                // One folder per sampling thread, whose cases run one at a time; each case writes all three files.
                string folder = folders.Value!;
                // On a thread of its own, so a case that hangs fails the property instead of stopping the test run.
                Task<string> run = Task.Run(() => Case(spec, folder));
                Assert.True(run.Wait(CaseDeadline), $"no answer within {CaseDeadline.TotalSeconds} s: {spec}");
                outcomes.AddOrUpdate(run.Result, 1, (_, n) => n + 1);
            }, iter: Cases, print: s => s.ToString());
            folders.Dispose();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        // Both ends are reached: the generator is hostile, and not so hostile that nothing runs.
        Assert.True(outcomes.GetValueOrDefault("ran") > Cases / 5, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("refused") > Cases / 5, string.Join(", ", outcomes));
    }

    /// <summary>One case: "refused" or "ran"; any other end fails the property.</summary>
    private static string Case(HostileSpec spec, string folder)
    {
        File.WriteAllBytes(Path.Combine(folder, "model.elstm"), HostileModels.File(spec));
        File.WriteAllText(Path.Combine(folder, "recording.csv"), HostileModels.Recording(spec, rows: 60));
        string config = Path.Combine(folder, "board.json");
        File.WriteAllText(config, HostileModels.Board(spec));

        var error = new StringWriter();
        int exit = ValidateCommand.Run(config, null, TextWriter.Null, error);
        if (exit == ExitCodes.BadInput)
        {
            string message = error.ToString();
            Assert.True(message.Contains(" problem", StringComparison.Ordinal) && message.Split('\n').Length > 2, $"exit 2 without a reason: {message} ({spec})");
            Assert.False(message.Contains("   at ", StringComparison.Ordinal), $"a stack trace: {message} ({spec})");
            return "refused";
        }

        Assert.True(exit == ExitCodes.Success, $"validate exit {exit}: {error} ({spec})");
        var log = new StringWriter();
        int ran = RunCommand.Run(new RunOptions(config, null, TimeSpan.FromSeconds(60), null, OutputFormat.Text), Stream.Null, log, default);
        Assert.True(ran == ExitCodes.Success, $"validate accepted it but run ended with {ran}: {log} ({spec})");
        Assert.Contains("stopped after 60 samples", log.ToString());
        return "ran";
    }
}

/// <summary>Tests in it run by themselves, after the parallel ones.</summary>
[CollectionDefinition(HostileModelTests.RunsAlone, DisableParallelization = true)]
public sealed class RunsAloneDefinition
{
}
