using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using EdgeLstm.Runtime.Tests.Sinks;

namespace EdgeLstm.Runtime.Tests.Published;

/// <summary>
/// stdout closed under a running board (the reading end of a pipe gone: `edgelstm run | head`, a log shipper that
/// died): the stdout sink degrades alone, the journal and the TCP collector go on, and the run ends cleanly.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ClosedStdoutTests : IDisposable
{
    private const int SigTerm = 15;

    private readonly AckingCollector _collector = new();
    private readonly TestBoard _board;

    public ClosedStdoutTests() =>
        _board = new TestBoard(sinks: $$"""[ { "type": "stdout" }, { "type": "tcp", "host": "127.0.0.1", "port": {{_collector.Port}} } ]""");

    public void Dispose()
    {
        _collector.Dispose();
        _board.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public async Task Closing_stdout_degrades_only_the_stdout_sink()
    {
        var start = new ProcessStartInfo(PublishedRuntime.BinaryPath)
        {
            ArgumentList = { "run", "--config", _board.ConfigPath, "--speed", "realtime", "--journal", Path.Combine(_board.Directory, "journal") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> log = process.StandardError.ReadToEndAsync();
        Assert.NotNull(process.StandardOutput.ReadLine()); // the board is up and printing
        process.StandardOutput.Close();                     // … and nobody reads its stdout any more

        int before = _collector.Count;
        Assert.True(_collector.WaitUntil(c => c.Count > before + 200, TimeSpan.FromSeconds(30)), "the collector stopped receiving when stdout closed");
        Assert.False(process.HasExited, "the run ended when its stdout closed");
        Assert.Equal(0, Kill(process.Id, SigTerm));
        Assert.True(process.WaitForExit(30_000));
        string text = await log;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("degraded: stdout: writing failed: the reading end was closed (broken pipe)", text, StringComparison.Ordinal);
        Assert.Contains("nothing left unacknowledged", text, StringComparison.Ordinal);
    }
}
