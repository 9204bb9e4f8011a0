using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// A frame that can write itself as one MessagePack array <c>[tag, field1, field2, …]</c>; each frame type hands
/// this to its formatter (<c>Formatters/</c>), which also reads it back. Encoders take frames as a constrained
/// generic, so struct frames are never boxed.
/// </summary>
public interface IWireFrame
{
    /// <summary>The frame's type tag.</summary>
    FrameType Type { get; }

    /// <summary>Writes the whole frame payload (array header, tag and fields) without allocating.</summary>
    /// <param name="writer">The writer to append to; the caller flushes it.</param>
    void WriteTo(ref MessagePackWriter writer);
}
