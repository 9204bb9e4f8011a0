using System.Globalization;
using EdgeLstm.Core.Diagnostics;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Writes frames to a byte stream: stdout (readable lines, or raw framed MessagePack with <c>--format msgpack</c>)
/// or a file (framed MessagePack, appended). <see cref="Write"/> only queues the frame; a writer thread writes
/// whole frames and flushes after each batch, so a slow pipe or disk never stalls sampling and a killed process
/// leaves the file cut between frames. A stream that fails (a full disk, an I/O error, a closed pipe) degrades
/// this sink alone: the failure is logged once, frames are counted as dropped while it lasts, and the stream is
/// retried (a file reopened) every <see cref="RetryInterval"/>.
/// </summary>
internal sealed class StreamSink : FrameSink
{
    /// <summary>How often a failed stream is tried again on a board.</summary>
    public static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromSeconds(5);

    private const int QueueBytes = 1024 * 1024;
    private const int QueueFrames = 32 * 1024;

    private readonly Func<Stream> _open;
    private readonly bool _text;
    private readonly bool _ownsStream;
    private readonly string _name;
    private readonly string _path;
    private readonly TextWriter _log;
    private readonly FrameQueue _queue = new(QueueBytes, QueueFrames);
    private readonly byte[] _batch = new byte[64 * 1024];
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly WaitHandle[] _wakeOn;
    private Stream? _stream;
    private string? _failure;
    private long _drops;
    private long _dropsInEpisode;
    private long _queued;
    private long _done;   // frames written or dropped by the writer thread
    private volatile bool _stopping;

    private StreamSink(Func<Stream> open, bool text, bool ownsStream, string name, string path, TextWriter log, TimeSpan? retryInterval = null)
    {
        RetryInterval = retryInterval ?? DefaultRetryInterval;
        _open = open;
        _text = text;
        _ownsStream = ownsStream;
        _name = name;
        _path = path;
        _log = log;
        _stream = open();
        _wakeOn = [_queue.Enqueued, _stop.WaitHandle];
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = $"edgelstm {name}" };
        _thread.Start();
    }

    /// <summary>Standard output: readable lines, or framed MessagePack.</summary>
    public static StreamSink Stdout(Stream stdout, bool text, TextWriter log) =>
        new(() => stdout, text, ownsStream: false, text ? "stdout" : "stdout (msgpack)", "/dev/stdout", log);

    /// <summary>A file that frames are appended to (created, with its folder, if missing); throws when it cannot be opened now.</summary>
    public static StreamSink AppendToFile(string path, TextWriter log) =>
        new(() => OpenForAppend(path), text: false, ownsStream: true, $"file {path}", path, log);

    /// <summary>Framed frames to the stream <paramref name="open"/> returns (called again to retry after a failure), which the sink owns.</summary>
    internal static StreamSink Over(Func<Stream> open, string name, TextWriter log, TimeSpan retryInterval) =>
        new(open, text: false, ownsStream: true, name, name, log, retryInterval);

    /// <summary>How often a failed stream is tried again.</summary>
    public TimeSpan RetryInterval { get; }

    private static FileStream OpenForAppend(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    public override string Name => _name;

    public override FrameForm Form => _text ? FrameForm.Text : FrameForm.Stream;

    public override string? Failure => Volatile.Read(ref _failure);

    public override long Drops => Interlocked.Read(ref _drops);

    public override int QueueDepth => _queue.Count;

    public override void Write(in OutgoingFrame frame)
    {
        Interlocked.Increment(ref _queued);
        if (!_queue.TryEnqueue(_text ? frame.Text : frame.Stream))
        {
            // The writer is that far behind (or failing): this frame cannot wait.
            Interlocked.Increment(ref _drops);
            Interlocked.Increment(ref _done);
        }
    }

    /// <summary>Waits (at most 5 s) until every frame queued so far is written or counted as dropped.</summary>
    public override void Flush()
    {
        long target = Interlocked.Read(ref _queued);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Interlocked.Read(ref _done) < target && DateTime.UtcNow < deadline)
        {
            _queue.Wake();
            Thread.Sleep(2);
        }
    }

    private void WriteLoop()
    {
        DateTime retryAt = DateTime.MinValue;
        while (true)
        {
            if (_queue.Count == 0)
            {
                if (_stopping) return;
                WaitHandle.WaitAny(_wakeOn, TimeSpan.FromMilliseconds(500));
                continue;
            }
            int length = _queue.Dequeue(_batch, out int frames);
            if (_failure is not null && DateTime.UtcNow < retryAt)
            {
                Drop(frames);
                continue;
            }
            try
            {
                _stream ??= _open();
                _stream.Write(_batch, 0, length);
                _stream.Flush();
                Interlocked.Add(ref _done, frames);
                if (_failure is not null) Recovered();
            }
            catch (Exception e) when (FileErrors.IsFileError(e))
            {
                if (_failure is null) Fail(e);
                if (_ownsStream) CloseStream();
                retryAt = DateTime.UtcNow + RetryInterval;
                // Counted last: Flush returns once these frames are done, and by then the retry time is set.
                Drop(frames);
            }
        }
    }

    private void Drop(int frames)
    {
        Interlocked.Add(ref _drops, frames);
        _dropsInEpisode += frames;
        Interlocked.Add(ref _done, frames);
    }

    private void Fail(Exception e)
    {
        string failure = $"{_name}: writing failed: {FileErrors.Describe(e, _path)}";
        Volatile.Write(ref _failure, failure);
        _log.WriteLine($"edgelstm: degraded: {failure}; frames for this sink are counted as dropped and it is retried every {RetryInterval.TotalSeconds:F0} s, the other sinks go on");
    }

    private void Recovered()
    {
        _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"edgelstm: {_name} works again; {_dropsInEpisode} frames were dropped while it failed"));
        _dropsInEpisode = 0;
        Volatile.Write(ref _failure, null);
    }

    private void CloseStream()
    {
        try
        {
            _stream?.Dispose();
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            // Dispose flushes again and fails the way the write did, which is already recorded.
        }
        _stream = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
            _stopping = true;
            _stop.Set();
            _thread.Join(TimeSpan.FromSeconds(5));
            try
            {
                if (_failure is null && _stream is FileStream file) file.Flush(flushToDisk: true);
            }
            catch (Exception e) when (FileErrors.IsFileError(e))
            {
                Fail(e);
            }
            if (_ownsStream) CloseStream();
            _queue.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
