namespace EdgeLstm.Protocol;

/// <summary>Constants that describe this version of the wire protocol.</summary>
public static class ProtocolInfo
{
    /// <summary>
    /// The protocol version written into <see cref="HelloFrame.ProtocolVersion"/>. Version 2 widened sequence numbers
    /// from 32 to 64 bits (so they can continue across restarts from a journal) and made Hello take a sequence
    /// number from the same counter as every other frame; it also appended fields (Hello's session id and sequence,
    /// Prediction's values, the journal counters of Health, the flags of Prediction, Alarm and Health, Ack's
    /// session id), which a version-1 decoder skips and this decoder defaults when a version-1 sender left them out.
    /// Adding trailing fields or new frame types alone never changes the version, because decoders skip both.
    /// </summary>
    public const ushort Version = 2;
}
