using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>Builds the sinks a board config asks for (stdout when it names none).</summary>
internal static class SinkFactory
{
    /// <summary>
    /// Creates every sink; throws <see cref="SinkException"/> naming the sink that cannot be opened. TCP, serial and
    /// MQTT sinks (the latter publishing as <paramref name="deviceId"/>) deliver from <paramref name="journal"/> with acknowledgements (<see cref="JournalStart"/> opens one
    /// whenever they are configured), keeping <paramref name="timings"/> (<see cref="DeliveryTimings.Default"/> when null).
    /// </summary>
    public static List<FrameSink> Create(IReadOnlyList<SinkConfig>? configs, string baseDirectory, bool stdoutText, Stream stdout, TextWriter log,
        FrameJournal? journal = null, DeliveryTimings? timings = null, string deviceId = "", Updates.CommandInbox? commands = null)
    {
        var sinks = new List<FrameSink>();
        try
        {
            if (configs is null || configs.Count == 0)
            {
                sinks.Add(StreamSink.Stdout(stdout, stdoutText, log));
                return sinks;
            }
            for (int i = 0; i < configs.Count; i++)
                sinks.Add(Create(configs[i], i, baseDirectory, stdoutText, stdout, log, journal, timings ?? DeliveryTimings.Default, deviceId, commands));
            return sinks;
        }
        catch
        {
            foreach (FrameSink sink in sinks) sink.Dispose();
            throw;
        }
    }

    private static FrameJournal Journal(FrameJournal? journal, string where) =>
        journal ?? throw new SinkException($"{where}: acknowledged delivery reads the journal, and none was opened.");

    private static StreamSink OpenFile(string path, string where, TextWriter log)
    {
        try
        {
            return StreamSink.AppendToFile(path, log);
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            throw new SinkException($"{where}: the file '{path}' cannot be opened for writing: {FileErrors.Describe(e, path)}", e);
        }
    }

    private static FrameSink Create(SinkConfig config, int index, string baseDirectory, bool stdoutText, Stream stdout, TextWriter log,
        FrameJournal? journal, DeliveryTimings timings, string deviceId, Updates.CommandInbox? commands)
    {
        string where = $"sinks[{index}] ({config.Type.ToString().ToLowerInvariant()})";
        try
        {
            return config.Type switch
            {
                SinkKind.Stdout => StreamSink.Stdout(stdout, stdoutText, log),
                SinkKind.File => OpenFile(Path.GetFullPath(config.Path!, baseDirectory), where, log),
                SinkKind.Tcp => new TcpSink(config.Host!, config.Port!.Value, config.TcpTls(baseDirectory), Journal(journal, where), timings, log),
                SinkKind.Udp => new UdpSink(config.Host!, config.Port!.Value, log),
                SinkKind.Serial => new SerialSink(config.Device!, config.BaudRate ?? 115200, Journal(journal, where), timings, log),
                SinkKind.Null => new NullSink(),
                SinkKind.Mqtt => new MqttSink(config.MqttSettings(deviceId, baseDirectory), Journal(journal, where), timings, log, commands),
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
