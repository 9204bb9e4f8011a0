using System.IO.Ports;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Acknowledged delivery over a serial link (<see cref="StreamDeliverySink"/>): framed frames out (COBS resynchronizes
/// after line noise), Acks back on the same line. A port that disappears (a USB adapter pulled) fails the link,
/// which is reopened with backoff.
/// </summary>
internal sealed class SerialSink : StreamDeliverySink
{
    private readonly string _device;
    private readonly int _baudRate;
    private readonly byte[] _received = new byte[1024];
    private SerialPort? _port;

    /// <summary>Starts the sender thread; the port is opened at once and again after every failure.</summary>
    public SerialSink(string device, int baudRate, FrameJournal journal, DeliveryTimings timings, TextWriter log)
        : base($"serial {device} {baudRate} baud", journal, timings, log)
    {
        _device = device;
        _baudRate = baudRate;
        Start();
    }

    protected override void Open()
    {
        var port = new SerialPort(_device, _baudRate) { WriteTimeout = (int)Timings.SendTimeout.TotalMilliseconds, ReadTimeout = 1 };
        try
        {
            port.Open();
        }
        catch
        {
            port.Dispose();
            throw;
        }
        _port = port;
    }

    protected override void Send(ReadOnlySpan<byte> bytes) =>
        (_port ?? throw new InvalidOperationException("not open")).BaseStream.Write(bytes);

    protected override int ReceiveAvailable(Span<byte> buffer)
    {
        SerialPort port = _port ?? throw new InvalidOperationException("not open");
        int available = Math.Min(port.BytesToRead, Math.Min(buffer.Length, _received.Length));
        if (available == 0) return 0;
        // SerialPort reads into arrays only (its stream refuses a span).
        int read = port.Read(_received, 0, available);
        _received.AsSpan(0, read).CopyTo(buffer);
        return read;
    }

    protected override void Disconnect()
    {
        _port?.Dispose();
        _port = null;
    }
}
