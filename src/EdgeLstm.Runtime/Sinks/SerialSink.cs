using System.IO.Ports;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>Framed MessagePack over a serial link (COBS framing resynchronizes after line noise).</summary>
internal sealed class SerialSink : FrameSink
{
    private readonly SerialPort _port;
    private long _drops;

    private SerialSink(SerialPort port) => _port = port;

    public static SerialSink Open(string device, int baudRate)
    {
        var port = new SerialPort(device, baudRate) { WriteTimeout = 50 };
        port.Open();
        return new SerialSink(port);
    }

    public override string Name => $"serial {_port.PortName} {_port.BaudRate} baud";

    public override FrameForm Form => FrameForm.Stream;

    public override long Drops => Interlocked.Read(ref _drops);

    public override void Write(in OutgoingFrame frame)
    {
        try
        {
            _port.BaseStream.Write(frame.Stream);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            // A stalled link must not stall sampling: count the frame and go on.
            Interlocked.Increment(ref _drops);
        }
    }

    public override void Flush() => _port.BaseStream.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _port.Dispose();
        base.Dispose(disposing);
    }
}
