using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Journal;

/// <summary>One record read from the journal: its frame kind, sequence and payload length (the payload is in the caller's buffer).</summary>
/// <param name="Type">The frame kind.</param>
/// <param name="Sequence">The record's sequence number.</param>
/// <param name="Length">The payload's length in bytes.</param>
internal readonly record struct JournalRecord(FrameType Type, ulong Sequence, int Length);
