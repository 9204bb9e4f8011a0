using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Reads and changes frames kept as their encoded payload (as <see cref="PayloadEncoder.Write{TFrame}"/> wrote them,
/// e.g. in a board's journal) without decoding them: the type and sequence to index a record by, and the flags to
/// mark a frame <see cref="FrameFlags.Historical"/> before it is resent. Positions come from each frame's field table
/// in its formatter. Allocation-free on well-formed payloads; malformed ones (including any the decoder would refuse
/// under <see cref="DecoderLimits.Default"/>) return false and never throw.
/// </summary>
/// <remarks>
/// Takes memory rather than spans because MessagePack-CSharp's reader reads memory; a <c>byte[]</c> converts to
/// either, and slicing one (<c>AsMemory(start, length)</c>) allocates nothing.
/// </remarks>
public static class StoredFrames
{
    /// <summary>
    /// ORs <paramref name="flags"/> into the <c>flags</c> field of a stored Prediction, Alarm or Health payload, in
    /// place; the payload keeps its length, so it can be framed again with
    /// <see cref="StreamFrameEncoder.WritePayload"/> or sent as a datagram as it is.
    /// </summary>
    /// <param name="payload">Exactly one frame's MessagePack bytes.</param>
    /// <param name="flags">The bits to set (bits 0–6).</param>
    /// <returns>
    /// True when the bits were set; false, with nothing changed, for Hello, Ack and unknown frame types, for a frame
    /// without a flags field (written by a version-1 sender), for a flags field that is not a positive fixint, and for
    /// malformed payloads.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="flags"/> uses bit 7, which the wire format reserves.</exception>
    public static bool TrySetFlags(Memory<byte> payload, FrameFlags flags)
    {
        if ((byte)flags > FrameFields.MaxFixInt)
        {
            throw new ArgumentOutOfRangeException(nameof(flags), flags, "Bit 7 of frame flags is reserved.");
        }

        if (!TryFindField(payload, FrameFields.Flags, out _, out MessagePackReader reader))
        {
            return false;
        }

        // A positive fixint is the value itself in one byte; only then can bits be ORed in without resizing.
        int offset = (int)reader.Consumed;
        Span<byte> bytes = payload.Span;
        if (bytes[offset] > MessagePackCode.MaxFixInt)
        {
            return false;
        }

        bytes[offset] |= (byte)flags;
        return true;
    }

    /// <summary>
    /// Reads the type and sequence number of a stored payload: element 1 of a Prediction, Alarm, Health or Event, Hello's
    /// <c>sequence</c> field (appended in version 2).
    /// </summary>
    /// <param name="payload">Exactly one frame's MessagePack bytes.</param>
    /// <param name="type">The frame type when the method returns true, else default.</param>
    /// <param name="sequence">The frame's sequence number when the method returns true, else 0.</param>
    /// <returns>
    /// False for Ack (it carries none of the board's numbers), unknown frame types, a version-1 Hello (no sequence
    /// field), a sequence that is not an integer in 0…2⁶⁴−1, and malformed payloads.
    /// </returns>
    public static bool TryReadHeader(ReadOnlyMemory<byte> payload, out FrameType type, out ulong sequence)
    {
        sequence = 0;
        if (!TryFindField(payload, FrameFields.Sequence, out type, out MessagePackReader reader)
            || reader.NextMessagePackType != MessagePackType.Integer)
        {
            type = default;
            return false;
        }

        if (FieldReader.IsSignedFormat(reader.NextCode))
        {
            long signed = reader.ReadInt64();
            if (signed < 0)
            {
                type = default;
                return false;
            }

            sequence = (ulong)signed;
            return true;
        }

        sequence = reader.ReadUInt64();
        return true;
    }

    /// <summary>Positions <paramref name="reader"/> on the field called <paramref name="name"/> of a well-formed payload.</summary>
    private static bool TryFindField(ReadOnlyMemory<byte> payload, string name, out FrameType type, out MessagePackReader reader)
    {
        type = default;
        reader = default;
        if (payload.Length > DecoderLimits.Default.MaxPayloadBytes
            || !MessagePackStructure.TryValidate(payload, DecoderLimits.Default, out _))
        {
            return false;
        }

        // After validation nothing below can run past the end: every length has been checked.
        reader = new MessagePackReader(payload);
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            return false;
        }

        int count = reader.ReadArrayHeader();
        if (count == 0 || reader.NextMessagePackType != MessagePackType.Integer || FieldReader.IsSignedFormat(reader.NextCode))
        {
            return false;
        }

        ulong tag = reader.ReadUInt64();
        FrameFields? fields = tag switch
        {
            (ulong)FrameType.Hello => HelloFrameFormatter.Fields,
            (ulong)FrameType.Prediction => PredictionFrameFormatter.Fields,
            (ulong)FrameType.Alarm => AlarmFrameFormatter.Fields,
            (ulong)FrameType.Health => HealthFrameFormatter.Fields,
            (ulong)FrameType.Event => EventFrameFormatter.Fields,
            _ => null,
        };

        // Ack has neither field; a frame too short for the field was written by an older version.
        int index = fields?.IndexOf(name) ?? -1;
        if (index < 1 || index >= count)
        {
            return false;
        }

        for (int i = 1; i < index; i++)
        {
            MessagePackStructure.SkipValidated(ref reader);
        }

        type = fields!.Type;
        return true;
    }
}
