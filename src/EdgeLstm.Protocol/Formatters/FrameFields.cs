using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// A frame type's tag and field names in wire order: first the fields every sender writes (those of protocol
/// version 1), then the ones later versions appended, which a reader takes as absent (their default) when an older
/// sender left them out. The counts come from the names, so the writer's array header, the reader's minimum field
/// count, the positions <see cref="StoredFrames"/> looks up and the names in error messages cannot drift apart.
/// </summary>
internal sealed class FrameFields
{
    /// <summary>The name of the trailing flags field of Prediction, Alarm and Health (see <see cref="FrameFlags"/>).</summary>
    public const string Flags = "flags";

    /// <summary>The name of the frame-counter field.</summary>
    public const string Sequence = "sequence";

    /// <summary>The largest value of a field kept to 7 bits so it is always a one-byte positive fixint.</summary>
    public const byte MaxFixInt = 0x7F;

    // Index 0 is the type tag; the frame's fields follow at the array positions they have on the wire.
    private readonly string[] _names;

    /// <summary>Describes a frame type.</summary>
    /// <param name="type">The tag in element 0.</param>
    /// <param name="required">The fields after the tag that every sender writes (version 1's), in wire order.</param>
    /// <param name="optional">The fields appended after those by later versions (version 2's), in wire order.</param>
    public FrameFields(FrameType type, string[] required, string[] optional)
    {
        Type = type;
        _names = ["type", .. required, .. optional];
        RequiredCount = required.Length;
    }

    /// <summary>The frame type whose tag starts the array.</summary>
    public FrameType Type { get; }

    /// <summary>Number of fields after the type tag that this version writes.</summary>
    public int Count => _names.Length - 1;

    /// <summary>Number of fields after the type tag that a frame must have (version 1's); fewer is <see cref="FrameErrorKind.TooFewFields"/>.</summary>
    public int RequiredCount { get; }

    /// <summary>The name of array element <paramref name="index"/> (0 = the tag), for error messages.</summary>
    public string NameOf(int index) => index >= 0 && index < _names.Length ? _names[index] : "unnamed";

    /// <summary>The array index of the field called <paramref name="name"/> (the first field after the tag is 1), or -1.</summary>
    public int IndexOf(string name) => Array.IndexOf(_names, name, 1);

    /// <summary>Writes the array header and the tag; the caller then writes exactly <see cref="Count"/> fields.</summary>
    public void WriteHeader(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(_names.Length);
        writer.Write((byte)Type);
    }

    /// <summary>
    /// Writes the array header and the tag for a frame that leaves out trailing optional fields; the caller then
    /// writes exactly <paramref name="fields"/> fields (at least <see cref="RequiredCount"/>, at most <see cref="Count"/>).
    /// </summary>
    public void WriteHeader(ref MessagePackWriter writer, int fields)
    {
        if (fields < RequiredCount || fields > Count) throw new ArgumentOutOfRangeException(nameof(fields), fields, $"{Type} has {RequiredCount}…{Count} fields.");
        writer.WriteArrayHeader(fields + 1);
        writer.Write((byte)Type);
    }

    /// <summary>Checks that <paramref name="flags"/> leaves bit 7 clear, so the flags field is always a one-byte fixint.</summary>
    /// <param name="flags">The frame's flags.</param>
    /// <param name="sequence">The frame's sequence, for the message.</param>
    /// <exception cref="InvalidOperationException">Bit 7 is set.</exception>
    public void CheckFlags(FrameFlags flags, ulong sequence)
    {
        if ((byte)flags > MaxFixInt)
        {
            throw new InvalidOperationException(
                $"{Type} {sequence}: flags 0x{(byte)flags:X2} use bit 7, which the wire format reserves.");
        }
    }
}
