using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using EdgeLstm.Runtime.Tests.Pipeline;

namespace EdgeLstm.Runtime.Tests.Published;

/// <summary>The published binary as systemd runs it: NOTIFY_SOCKET and WATCHDOG_USEC set, stopped with SIGTERM.</summary>
[SupportedOSPlatform("linux")]
public sealed class PublishedSystemdTests : IDisposable
{
    private const int SigTerm = 15;

    private readonly TestBoard _board = new();
    private readonly NotifySocket _systemd = new();

    public void Dispose()
    {
        _systemd.Dispose();
        _board.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public async Task Run_says_ready_pets_the_watchdog_and_says_stopping()
    {
        var start = new ProcessStartInfo(PublishedRuntime.BinaryPath)
        {
            ArgumentList = { "run", "--config", _board.ConfigPath, "--speed", "realtime" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NOTIFY_SOCKET"] = _systemd.Path, ["WATCHDOG_USEC"] = "400000" }, // a pet at least every 100 ms
        };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> log = process.StandardError.ReadToEndAsync();
        bool petted = _systemd.WaitFor(m => m.Count(x => x == "WATCHDOG=1") >= 5 || process.HasExited, TimeSpan.FromSeconds(60));
        if (process.HasExited || !petted)
        {
            process.Kill();
            Assert.Fail($"the run ended or never petted the watchdog: {await log}");
        }

        Assert.Equal(0, Kill(process.Id, SigTerm));
        Assert.True(process.WaitForExit(30_000));
        string text = await log;
        await output;
        Assert.True(process.ExitCode == 0, text);
        Assert.True(_systemd.WaitFor(m => m.Contains("STOPPING=1"), TimeSpan.FromSeconds(30)), text);

        List<string> messages = _systemd.Messages;
        Assert.Equal("READY=1", messages[0]);
        Assert.Equal("STOPPING=1", messages[^1]);
        Assert.All(messages.Skip(1).SkipLast(1), m => Assert.Equal("WATCHDOG=1", m));
        Assert.DoesNotContain("warning", text, StringComparison.Ordinal);
    }
}
