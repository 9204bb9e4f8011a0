using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Sinks;

namespace EdgeLstm.Runtime.Tests.Sinks;

public class StreamSinkTests
{
    /// <summary>A disk that can fill up: writes fail with ENOSPC while <see cref="Full"/> is set, as a real full disk reports it.</summary>
    private sealed class FillingDisk
    {
        public volatile bool Full;

        public MemoryStream Written { get; } = new();

        public int Opens;

        public Stream Open()
        {
            Interlocked.Increment(ref Opens);
            return new File(this);
        }

        private sealed class File(FillingDisk disk) : Stream
        {
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count)
            {
                // 28 is ENOSPC; .NET reports errno in the low bits of HResult on Unix.
                if (disk.Full) throw new IOException("No space left on device", 28);
                lock (disk.Written) disk.Written.Write(buffer, offset, count);
            }
        }
    }

    private static List<DecodeResult> Decode(byte[] bytes)
    {
        var decoder = new StreamFrameDecoder();
        var results = new List<DecodeResult>();
        ReadOnlySpan<byte> input = bytes;
        while (!input.IsEmpty && decoder.TryDecodeNext(input, out int consumed, out DecodeResult result))
        {
            input = input[consumed..];
            results.Add(result);
        }
        return results;
    }

    [Fact]
    public void A_disk_that_fills_mid_run_degrades_the_sink_counts_what_it_dropped_and_recovers_when_space_returns()
    {
        var disk = new FillingDisk();
        var logText = new StringWriter();
        TextWriter log = TextWriter.Synchronized(logText);
        using var sink = StreamSink.Over(disk.Open, "file frames.bin", log, TimeSpan.FromMilliseconds(50));
        using var emitter = new FrameEmitter([sink], ["normal", "fault"], carriesProbabilities: true);

        for (int i = 0; i < 100; i++) emitter.EmitPrediction(i, [0.9f, 0.1f], 0.1f, 0.1f, degraded: false);
        emitter.Flush();
        disk.Full = true;
        for (int i = 100; i < 200; i++) emitter.EmitPrediction(i, [0.9f, 0.1f], 0.1f, 0.1f, degraded: false);
        emitter.Flush();
        Assert.NotNull(sink.Failure);
        Assert.Contains("disk is full", sink.Failure, StringComparison.Ordinal);
        long dropped = sink.Drops;
        Assert.True(dropped > 0);

        disk.Full = false;
        Thread.Sleep(100); // past the retry interval
        for (int i = 200; i < 300; i++) emitter.EmitPrediction(i, [0.9f, 0.1f], 0.1f, 0.1f, degraded: false);
        emitter.Flush();
        Assert.Null(sink.Failure);

        List<DecodeResult> written;
        lock (disk.Written) written = Decode(disk.Written.ToArray());
        Assert.All(written, r => Assert.True(r.IsFrame));
        Assert.Equal(300, written.Count + sink.Drops);            // every frame written or counted
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (ulong)i), written.Take(100).Select(r => r.Prediction.Sequence));
        Assert.Equal(299ul, written[^1].Prediction.Sequence);
        Assert.True(disk.Opens >= 2, "the file is reopened after the failure");
        string text = logText.ToString();
        Assert.Equal(1, text.Split("degraded:").Length - 1); // once per episode, not once per frame
        Assert.Contains($"{dropped} frames were dropped while it failed", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stalled_reader_never_blocks_the_writer_it_fills_the_queue_and_counts_the_rest()
    {
        var gate = new ManualResetEventSlim(false);
        var blocked = new BlockingStream(gate);
        using var sink = StreamSink.Over(() => blocked, "stdout (msgpack)", TextWriter.Null, TimeSpan.FromMilliseconds(50));
        using var emitter = new FrameEmitter([sink], ["normal", "fault"], carriesProbabilities: true);
        for (int i = 0; i < 100_000; i++) emitter.EmitPrediction(i, [0.9f, 0.1f], 0.1f, 0.1f, degraded: false);
        Assert.True(sink.Drops > 0, "a reader that never reads cannot take 100 000 frames");
        gate.Set();
    }

    private sealed class BlockingStream(ManualResetEventSlim gate) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => gate.Wait();
    }
}
