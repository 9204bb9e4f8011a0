namespace EdgeLstm.Protocol;

/// <summary>Constants that describe this version of the wire protocol.</summary>
public static class ProtocolInfo
{
    /// <summary>
    /// The protocol version written into <see cref="HelloFrame.ProtocolVersion"/>. It only changes when an existing
    /// field changes meaning; adding trailing fields or new frame types keeps it, because decoders skip both.
    /// </summary>
    public const ushort Version = 1;
}
