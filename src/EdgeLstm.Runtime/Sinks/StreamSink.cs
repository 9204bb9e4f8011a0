using EdgeLstm.Core.Diagnostics;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Writes frames to a byte stream: stdout (readable lines, or raw framed MessagePack with <c>--format msgpack</c>)
/// or a file (framed MessagePack, appended). A stream that fails (a full disk, a closed pipe) turns the sink off:
/// the failure is kept in words and every later frame is counted as dropped, so the other sinks and the alarm
/// pin go on.
/// </summary>
internal sealed class StreamSink : FrameSink
{
    private readonly Stream _stream;
    private readonly bool _text;
    private readonly bool _ownsStream;
    private readonly string _name;
    private readonly string? _path;
    private string? _failure;
    private long _drops;

    private StreamSink(Stream stream, bool text, bool ownsStream, string name, string? path = null)
    {
        _stream = stream;
        _text = text;
        _ownsStream = ownsStream;
        _name = name;
        _path = path;
    }

    /// <summary>Standard output: readable lines, or framed MessagePack.</summary>
    public static StreamSink Stdout(Stream stdout, bool text) => new(stdout, text, ownsStream: false, text ? "stdout" : "stdout (msgpack)");

    /// <summary>A file that frames are appended to (created if missing).</summary>
    public static StreamSink AppendToFile(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        return new StreamSink(stream, text: false, ownsStream: true, $"file {path}", path);
    }

    public override string Name => _name;

    public override FrameForm Form => _text ? FrameForm.Text : FrameForm.Stream;

    public override string? Failure => Volatile.Read(ref _failure);

    public override long Drops => Interlocked.Read(ref _drops);

    public override void Write(in OutgoingFrame frame)
    {
        if (_failure is not null)
        {
            _drops++;
            return;
        }
        try
        {
            _stream.Write(_text ? frame.Text : frame.Stream);
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            Fail(e);
            _drops++;
        }
    }

    public override void Flush()
    {
        if (_failure is not null) return;
        try
        {
            _stream.Flush();
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            Fail(e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
            try
            {
                if (_failure is null && _stream is FileStream file) file.Flush(flushToDisk: true);
            }
            catch (Exception e) when (FileErrors.IsFileError(e))
            {
                Fail(e);
            }
            if (_ownsStream) DisposeFailedStream();
        }
        base.Dispose(disposing);
    }

    /// <summary>Frames still in the stream's buffer are lost with it; their count is not known, the failure says so.</summary>
    private void Fail(Exception e)
    {
        string reason = FileErrors.Describe(e, _path ?? "/dev/stdout");
        Volatile.Write(ref _failure, $"{_name}: writing failed: {reason}; this sink stopped, frames buffered for it were lost and every later one is counted as dropped");
    }

    private void DisposeFailedStream()
    {
        try
        {
            _stream.Dispose();
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            // Dispose flushes again; a stream that failed before fails the same way, already recorded.
            if (_failure is null) Fail(e);
        }
    }
}
