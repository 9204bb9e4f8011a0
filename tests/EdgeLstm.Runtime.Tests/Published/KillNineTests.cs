using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Tests.Sinks;

namespace EdgeLstm.Runtime.Tests.Published;

/// <summary>
/// The durability promise as a board meets it: the published runtime streams (400 Hz, real time) through its journal to
/// a collector that acknowledges, and is killed with SIGKILL at random moments, again and again. Whatever it had
/// journaled must reach the collector exactly once after de-duplication, with no gap.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class KillNineTests : IDisposable
{
    private const int Kills = 200;
    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private readonly AckingCollector _collector = new();
    private readonly TestBoard _board;
    private readonly string _journal;

    public KillNineTests()
    {
        // 400 Hz in real time: about the most this simulated two-channel ADS1115 board samples (860 SPS), and a rate the link keeps up with, so the
        // journal never has to evict and every number must arrive. (Outrunning the link is DeliveryTests' case.)
        _board = new TestBoard(sinks: $$"""[ { "type": "tcp", "host": "127.0.0.1", "port": {{_collector.Port}} } ]""", sampleRate: 400);
        File.WriteAllText(_board.ConfigPath, File.ReadAllText(_board.ConfigPath).Replace("\"rateHz\": 100", "\"rateHz\": 400", StringComparison.Ordinal));
        _journal = Path.Combine(_board.Directory, "journal");
    }

    public void Dispose()
    {
        _collector.Dispose();
        _board.Dispose();
    }

    private readonly System.Text.StringBuilder _stderr = new();

    private Process Start()
    {
        var start = new ProcessStartInfo(PublishedRuntime.BinaryPath)
        {
            ArgumentList = { "run", "--config", _board.ConfigPath, "--speed", "realtime", "--journal", _journal, "--format", "msgpack" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process = Process.Start(start)!;
        process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        process.ErrorDataReceived += (_, line) =>
        {
            lock (_stderr) _stderr.AppendLine(line.Data);
        };
        process.BeginErrorReadLine();
        return process;
    }

    private string Log()
    {
        lock (_stderr) return _stderr.ToString();
    }

    [Fact]
    public void Every_journaled_frame_arrives_exactly_once_across_200_kills()
    {
        var random = new Random(20261203);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Kills; i++)
        {
            using Process process = Start();
            Thread.Sleep(random.Next(10, 250));
            if (process.HasExited)
            {
                process.WaitForExit(); // drains the log
                Assert.Fail($"run {i} ended by itself (exit {process.ExitCode}):\n{Log()}");
            }
            process.Kill(); // SIGKILL: no flush, no shutdown
            Assert.True(process.WaitForExit(10_000), $"run {i} did not die");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), $"{i} kills took {clock.Elapsed}; the loop is bounded");
        }

        // A last run that ends cleanly (SIGTERM, as systemd stops it) delivers what the killed runs left behind.
        using (Process final = Start())
        {
            Thread.Sleep(1000);
            Assert.True(Kill(final.Id, SigTerm) == 0, $"the last run ended by itself:\n{Log()}");
            Assert.True(final.WaitForExit(30_000), "the last run did not stop on SIGTERM");
            Assert.True(final.ExitCode == 0, Log());
        }

        SortedDictionary<ulong, (FrameType Type, FrameFlags Flags)> frames = _collector.Frames();
        ulong last = frames.Keys.Last();
        Assert.True(frames.Count == (int)last + 1,
            $"the collector holds {frames.Count} distinct frames but the highest sequence is {last}: {(long)last + 1 - frames.Count} missing");
        Assert.Equal(0, _collector.Errors);
        Assert.True(_collector.Hellos().Count >= Kills, "every run starts with a Hello");
        Assert.True(_collector.Duplicates > 0, "frames sent but not acknowledged before a kill are sent again");

        // The journal agrees: what it still holds is a tail of what arrived, and nothing in it is new.
        ProcessResult export = PublishedRuntime.Run(["journal", _journal, "--export", Path.Combine(_board.Directory, "export.bin")]);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("evicted   0 Prediction, 0 Health, 0 Alarm, 0 Event, 0 Hello", export.Output, StringComparison.Ordinal);
        var decoder = new StreamFrameDecoder();
        byte[] bytes = File.ReadAllBytes(Path.Combine(_board.Directory, "export.bin"));
        ReadOnlySpan<byte> input = bytes;
        while (!input.IsEmpty && decoder.TryDecodeNext(input, out int consumed, out DecodeResult result))
        {
            input = input[consumed..];
            Assert.True(result.IsFrame, result.ToString());
            ulong sequence = result.FrameType switch
            {
                FrameType.Hello => result.Hello.Sequence,
                FrameType.Prediction => result.Prediction.Sequence,
                FrameType.Alarm => result.Alarm.Sequence,
                _ => result.Health.Sequence,
            };
            Assert.True(frames.TryGetValue(sequence, out var arrived) && arrived.Type == result.FrameType,
                $"the journal holds {result.FrameType} #{sequence}, which did not arrive");
        }
    }
}
