using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>Builds the sinks a board config asks for (stdout when it names none).</summary>
internal static class SinkFactory
{
    /// <summary>Bytes a TCP sink queues while the collector is away (≈ 10 000 four-class predictions).</summary>
    public const int TcpBufferBytes = 256 * 1024;

    /// <summary>Creates every sink; throws <see cref="SinkException"/> naming the sink that cannot be opened.</summary>
    public static List<FrameSink> Create(IReadOnlyList<SinkConfig>? configs, string baseDirectory, bool stdoutText, Stream stdout, TextWriter log)
    {
        var sinks = new List<FrameSink>();
        try
        {
            if (configs is null || configs.Count == 0)
            {
                sinks.Add(StreamSink.Stdout(stdout, stdoutText));
                return sinks;
            }
            for (int i = 0; i < configs.Count; i++)
                sinks.Add(Create(configs[i], i, baseDirectory, stdoutText, stdout, log));
            return sinks;
        }
        catch
        {
            foreach (FrameSink sink in sinks) sink.Dispose();
            throw;
        }
    }

    private static StreamSink OpenFile(string path, string where)
    {
        try
        {
            return StreamSink.AppendToFile(path);
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            throw new SinkException($"{where}: the file '{path}' cannot be opened for writing: {FileErrors.Describe(e, path)}", e);
        }
    }

    private static FrameSink Create(SinkConfig config, int index, string baseDirectory, bool stdoutText, Stream stdout, TextWriter log)
    {
        string where = $"sinks[{index}] ({config.Type.ToString().ToLowerInvariant()})";
        try
        {
            return config.Type switch
            {
                SinkKind.Stdout => StreamSink.Stdout(stdout, stdoutText),
                SinkKind.File => OpenFile(Path.GetFullPath(config.Path!, baseDirectory), where),
                SinkKind.Tcp => new TcpSink(config.Host!, config.Port!.Value, TcpBufferBytes, log),
                SinkKind.Udp => new UdpSink(config.Host!, config.Port!.Value),
                SinkKind.Serial => SerialSink.Open(config.Device!, config.BaudRate ?? 115200),
                SinkKind.Null => new NullSink(),
                _ => throw new SinkException($"{where}: unknown sink type."),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or ArgumentException or InvalidOperationException)
        {
            throw new SinkException($"{where}: cannot be opened: {e.Message}", e);
        }
    }
}

/// <summary>A sink named in the config cannot be opened.</summary>
internal sealed class SinkException : Exception
{
    public SinkException(string message) : base(message) { }

    public SinkException(string message, Exception inner) : base(message, inner) { }

    public SinkException() { }
}
