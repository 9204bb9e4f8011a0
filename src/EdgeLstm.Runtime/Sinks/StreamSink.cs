namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Writes frames to a byte stream: stdout (readable lines, or raw framed MessagePack with <c>--format msgpack</c>)
/// or a file (framed MessagePack, appended).
/// </summary>
internal sealed class StreamSink : FrameSink
{
    private readonly Stream _stream;
    private readonly bool _text;
    private readonly bool _ownsStream;
    private readonly string _name;

    private StreamSink(Stream stream, bool text, bool ownsStream, string name)
    {
        _stream = stream;
        _text = text;
        _ownsStream = ownsStream;
        _name = name;
    }

    /// <summary>Standard output: readable lines, or framed MessagePack.</summary>
    public static StreamSink Stdout(Stream stdout, bool text) => new(stdout, text, ownsStream: false, text ? "stdout" : "stdout (msgpack)");

    /// <summary>A file that frames are appended to (created if missing).</summary>
    public static StreamSink AppendToFile(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        return new StreamSink(stream, text: false, ownsStream: true, $"file {path}");
    }

    public override string Name => _name;

    public override bool WantsText => _text;

    public override void Write(in OutgoingFrame frame) => _stream.Write(_text ? frame.Text : frame.Stream);

    public override void Flush() => _stream.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream.Flush();
            if (_stream is FileStream file) file.Flush(flushToDisk: true);
            if (_ownsStream) _stream.Dispose();
        }
        base.Dispose(disposing);
    }
}
