namespace EdgeLstm.Sensors;

/// <summary>The quality of one channel value in a <see cref="SampleFrame"/>.</summary>
public enum SampleStatus : byte
{
    /// <summary>A fresh, valid reading.</summary>
    Good = 0,

    /// <summary>The read failed or was invalid; the value is the last good one, held for at most the hold limit.</summary>
    Held = 1,

    /// <summary>No usable value: failing for longer than the hold limit, or never read successfully. The value
    /// is the last good one (0 before any) so arithmetic stays finite; the frame is degraded.</summary>
    Bad = 2,
}
