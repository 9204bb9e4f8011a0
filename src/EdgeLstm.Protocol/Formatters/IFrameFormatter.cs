using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// The whole wire format of one frame type: its field table, its writer and its reader side by side, as a
/// MessagePack-CSharp formatter pairs Serialize with Deserialize, so that adding a field is one edit in one file.
/// Hand-written over <see cref="MessagePackWriter"/> and <see cref="FieldReader"/>: the serializer and its
/// resolvers generate code at run time, which Native AOT cannot do.
/// </summary>
/// <typeparam name="TFrame">The frame type.</typeparam>
internal interface IFrameFormatter<TFrame>
    where TFrame : struct, IWireFrame
{
    /// <summary>The frame's tag and field names in wire order.</summary>
    static abstract FrameFields Fields { get; }

    /// <summary>Writes the whole payload (array header, tag and every field) without allocating.</summary>
    /// <param name="writer">The writer to append to; the caller flushes it.</param>
    /// <param name="frame">The frame to write.</param>
    static abstract void Write(ref MessagePackWriter writer, in TFrame frame);

    /// <summary>
    /// Reads the fields after the tag; <see cref="PayloadDecoder"/> has checked the structure and that the required
    /// fields are there. Optional fields a version-1 sender left out (<see cref="FieldReader.AtEnd"/>) take their defaults.
    /// </summary>
    /// <param name="fields">A reader positioned after the tag; on failure its <see cref="FieldReader.Error"/> says which field and why.</param>
    /// <param name="frame">The decoded frame when the method returns true.</param>
    /// <returns>False when a field has the wrong type or an out-of-range value.</returns>
    static abstract bool TryRead(ref FieldReader fields, out TFrame frame);
}
