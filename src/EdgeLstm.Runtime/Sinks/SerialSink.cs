using System.IO.Ports;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Acknowledged delivery over a serial link (<see cref="DeliverySink"/>): framed frames out (COBS resynchronizes
/// after line noise), Acks back on the same line. A port that disappears (a USB adapter pulled) fails the link,
/// which is reopened with backoff.
/// </summary>
internal sealed class SerialSink : DeliverySink
{
    private readonly string _device;
    private readonly int _baudRate;
    private SerialPort? _port;

    /// <summary>Starts the sender thread; the port is opened at once and again after every failure.</summary>
    public SerialSink(string device, int baudRate, FrameJournal journal, DeliveryTimings timings, TextWriter log)
        : base($"serial {device} {baudRate} baud", journal, timings, log)
    {
        _device = device;
        _baudRate = baudRate;
        Start();
    }

    protected override void Connect()
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
        int available = port.BytesToRead;
        return available == 0 ? 0 : port.BaseStream.Read(buffer[..Math.Min(available, buffer.Length)]);
    }

    protected override void Disconnect()
    {
        _port?.Dispose();
        _port = null;
    }
}
