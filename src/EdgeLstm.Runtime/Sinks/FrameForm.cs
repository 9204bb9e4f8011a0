namespace EdgeLstm.Runtime.Sinks;

/// <summary>The representation of a frame a sink writes; the emitter builds only the forms its sinks take.</summary>
internal enum FrameForm
{
    /// <summary>COBS + CRC framed bytes for byte streams (TCP, files, serial, stdout msgpack).</summary>
    Stream,

    /// <summary>The bare payload, one frame per UDP datagram.</summary>
    Datagram,

    /// <summary>A readable UTF-8 line (stdout text).</summary>
    Text,

    /// <summary>None: the sink reads frames from the journal (acknowledged delivery), and the emitter does not write to it.</summary>
    Journal,
}
