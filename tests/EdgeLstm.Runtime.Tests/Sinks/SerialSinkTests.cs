using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Sinks;
using Microsoft.Win32.SafeHandles;

namespace EdgeLstm.Runtime.Tests.Sinks;

/// <summary>
/// The serial sink over a real tty: a Linux pseudo-terminal, whose slave end the sink opens as it would
/// /dev/ttyAMA0 and whose master end plays the collector (reads frames, writes Acks), then disappears.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SerialSinkTests
{
    private const int ReadWrite = 2, NoControllingTerminal = 0x100;

    [DllImport("libc", SetLastError = true)]
    private static extern int posix_openpt(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int grantpt(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int unlockpt(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr ptsname(int fd);

    private static (FileStream Master, string Slave) OpenPseudoTerminal()
    {
        int master = posix_openpt(ReadWrite | NoControllingTerminal);
        Assert.True(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0, $"no pseudo-terminal: errno {Marshal.GetLastWin32Error()}");
        string slave = Marshal.PtrToStringAnsi(ptsname(master))!;
        return (new FileStream(new SafeFileHandle(master, ownsHandle: true), FileAccess.ReadWrite, bufferSize: 0), slave);
    }

    private static readonly DeliveryTimings Quick = DeliveryTimings.Default with
    {
        MinBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200), PollInterval = TimeSpan.FromMilliseconds(5),
    };

    [Fact]
    public void Frames_go_out_over_the_line_Acks_come_back_and_a_port_that_disappears_degrades_only_the_sink()
    {
        (FileStream master, string slave) = OpenPseudoTerminal();
        var log = new StringWriter();
        var options = new JournalOptions(null);
        using FrameJournal journal = FrameJournal.Open(options.CreateStorage(), options, TextWriter.Null);
        using var sink = new SerialSink(slave, 115200, journal, Quick, TextWriter.Synchronized(log));
        using var emitter = new FrameEmitter([sink], journal, ["normal", "fault"], Core.Model.OutputKind.Classifier);
        for (int i = 0; i < 20; i++) emitter.EmitPrediction(i * 10, [0.9f, 0.1f], 0.1f, 0.1f, degraded: false);

        // The collector end: read 20 frames, acknowledge the last.
        var decoder = new StreamFrameDecoder();
        var sequences = new List<ulong>();
        byte[] buffer = new byte[4096];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (sequences.Count < 20 && DateTime.UtcNow < deadline)
        {
            int n = master.Read(buffer);
            ReadOnlySpan<byte> input = buffer.AsSpan(0, n);
            while (!input.IsEmpty && decoder.TryDecodeNext(input, out int consumed, out DecodeResult result))
            {
                input = input[consumed..];
                if (result.IsFrame && result.FrameType == FrameType.Prediction) sequences.Add(result.Prediction.Sequence);
            }
        }
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (ulong)i), sequences);
        var ack = new System.Buffers.ArrayBufferWriter<byte>();
        new StreamFrameEncoder().Write(new AckFrame { HighestSequence = 19 }, ack);
        master.Write(ack.WrittenSpan);
        Assert.True(sink.WaitForAcknowledgements(TimeSpan.FromSeconds(20)), $"the Ack did not come through; log:\n{log}");

        // The adapter is pulled: the sink notices, frames stay in the journal, the emitter goes on.
        master.Dispose();
        for (int i = 20; i < 40; i++) emitter.EmitPrediction(i * 10, [0.9f, 0.1f], 0.1f, 0.1f, degraded: false);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (sink.Failure is null && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.NotNull(sink.Failure);
        Assert.Contains($"serial {slave} 115200 baud", sink.Failure, StringComparison.Ordinal);
        Assert.Equal(20, sink.Backlog);
    }
}
