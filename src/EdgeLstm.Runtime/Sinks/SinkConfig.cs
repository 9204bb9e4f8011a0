using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>Kinds of frame sinks.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SinkKind>))]
public enum SinkKind
{
    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>A file.</summary>
    File,

    /// <summary>A TCP connection to a collector.</summary>
    Tcp,

    /// <summary>UDP datagrams to a collector.</summary>
    Udp,

    /// <summary>A serial port.</summary>
    Serial,

    /// <summary>Nowhere: frames are counted and dropped (benchmarks, alarm-pin-only boards).</summary>
    Null,
}

/// <summary>One frame sink; which fields are needed depends on <see cref="Type"/>.</summary>
public sealed class SinkConfig
{
    /// <summary>Gets the sink kind.</summary>
    public required SinkKind Type { get; set; }

    /// <summary>Gets the file path (file sinks).</summary>
    public string? Path { get; set; }

    /// <summary>Gets the collector host (tcp and udp sinks).</summary>
    public string? Host { get; set; }

    /// <summary>Gets the collector port (tcp and udp sinks).</summary>
    public int? Port { get; set; }

    /// <summary>Gets the serial device, e.g. /dev/ttyAMA0 (serial sinks).</summary>
    public string? Device { get; set; }

    /// <summary>Gets the serial baud rate (serial sinks).</summary>
    public int? BaudRate { get; set; }

    /// <summary>Checks that the fields this kind of sink needs are given.</summary>
    /// <param name="path">The sink's JSON path, e.g. <c>$.sinks[0]</c>.</param>
    /// <param name="problems">Where problems are added.</param>
    internal void Validate(string path, List<ConfigProblem> problems)
    {
        switch (Type)
        {
            case SinkKind.File when string.IsNullOrWhiteSpace(Path):
                problems.Add(new ConfigProblem($"{path}.path", "a file sink needs a path.", "Add \"path\": \"/var/log/edgelstm/frames.bin\"."));
                break;
            case SinkKind.Tcp or SinkKind.Udp when string.IsNullOrWhiteSpace(Host) || Port is not (>= 1 and <= 65535):
                problems.Add(new ConfigProblem(path, $"a {Type.ToString().ToLowerInvariant()} sink needs host and a port 1–65535.", "Add \"host\": \"collector.local\", \"port\": 7000."));
                break;
            case SinkKind.Serial when string.IsNullOrWhiteSpace(Device) || BaudRate is not > 0:
                problems.Add(new ConfigProblem(path, "a serial sink needs device and baudRate.", "Add \"device\": \"/dev/ttyAMA0\", \"baudRate\": 115200."));
                break;
        }
    }
}
