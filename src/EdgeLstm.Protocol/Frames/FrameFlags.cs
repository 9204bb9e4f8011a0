using System.Diagnostics.CodeAnalysis;

namespace EdgeLstm.Protocol;

/// <summary>
/// Bit flags in the trailing <c>flags</c> field of Prediction, Alarm and Health frames (bits 0–6; bit 7 is reserved,
/// so the field is always a one-byte MessagePack fixint that <see cref="StoredFrames.TrySetFlags"/> can change in
/// place). Decoders keep bits they do not know.
/// </summary>
[Flags]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "The wire field is called flags; the name is shared API.")]
public enum FrameFlags : byte
{
    /// <summary>A live frame, sent when it was made.</summary>
    None = 0,

    /// <summary>
    /// The frame was stored and is being forwarded late, from the sender's backlog rather than live (Sparkplug B's
    /// <c>is_historical</c>): its values describe the time in <c>timeMs</c>, not the time it arrived.
    /// </summary>
    Historical = 1,
}
