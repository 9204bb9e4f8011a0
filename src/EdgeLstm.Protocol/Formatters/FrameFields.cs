using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// A frame type's tag and field names in wire order. The field count comes from the names, so the writer's array
/// header, the reader's minimum field count and the names in error messages cannot drift apart.
/// </summary>
internal sealed class FrameFields
{
    // Index 0 is the type tag; the frame's fields follow at the array positions they have on the wire.
    private readonly string[] _names;

    /// <summary>Describes a frame type.</summary>
    /// <param name="type">The tag in element 0.</param>
    /// <param name="names">The fields after the tag, in wire order.</param>
    public FrameFields(FrameType type, string[] names)
    {
        Type = type;
        _names = ["type", .. names];
    }

    /// <summary>The frame type whose tag starts the array.</summary>
    public FrameType Type { get; }

    /// <summary>Number of fields after the type tag that this version writes and requires.</summary>
    public int Count => _names.Length - 1;

    /// <summary>The name of array element <paramref name="index"/> (0 = the tag), for error messages.</summary>
    public string NameOf(int index) => index >= 0 && index < _names.Length ? _names[index] : "unnamed";

    /// <summary>Writes the array header and the tag; the caller then writes exactly <see cref="Count"/> fields.</summary>
    public void WriteHeader(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(_names.Length);
        writer.Write((byte)Type);
    }
}
