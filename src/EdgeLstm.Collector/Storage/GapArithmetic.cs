namespace EdgeLstm.Collector.Storage;

/// <summary>An inclusive run of sequence numbers.</summary>
/// <param name="From">The first number.</param>
/// <param name="To">The last number (at least <paramref name="From"/>).</param>
internal readonly record struct SequenceRange(ulong From, ulong To);

/// <summary>
/// The gap rules, free of SQL so that every store applies the same ones: a jump of a device's highest sequence by
/// more than one opens a gap of the numbers between; a new frame inside an open gap splits it around itself, or
/// closes it when it was the last number missing.
/// </summary>
internal static class GapArithmetic
{
    /// <summary>True when <paramref name="sequence"/> is above everything stored so far.</summary>
    public static bool IsNewHighest(ulong? highest, ulong sequence) => highest is not ulong top || sequence > top;

    /// <summary>The gap a new highest sequence leaves behind the previous highest; null when it follows on.</summary>
    public static SequenceRange? Opened(ulong? highest, ulong sequence) =>
        highest is ulong top && sequence > top + 1 ? new SequenceRange(top + 1, sequence - 1) : null;

    /// <summary>What is left of <paramref name="gap"/> once <paramref name="sequence"/> (inside it) arrived: both null when it closed.</summary>
    public static (SequenceRange? Below, SequenceRange? Above) Fill(SequenceRange gap, ulong sequence)
    {
        if (sequence < gap.From || sequence > gap.To) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "not inside the gap");
        SequenceRange? below = sequence > gap.From ? new SequenceRange(gap.From, sequence - 1) : null;
        SequenceRange? above = sequence < gap.To ? new SequenceRange(sequence + 1, gap.To) : null;
        return (below, above);
    }
}
