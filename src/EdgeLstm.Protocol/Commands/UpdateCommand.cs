namespace EdgeLstm.Protocol;

/// <summary>What an <see cref="UpdateCommand"/> changes. Part of the wire format: never renumber.</summary>
public enum UpdateKind : byte
{
    /// <summary>Replace the model (a signed .elstm file).</summary>
    Model = 1,

    /// <summary>Replace alarm thresholds, by alarm name.</summary>
    Thresholds = 2,
}

/// <summary>New raise and clear thresholds for the alarm called <paramref name="Alarm"/>.</summary>
/// <param name="Alarm">The alarm's name as the board's decision section names it (a class label or "anomaly").</param>
/// <param name="Threshold">The raise threshold.</param>
/// <param name="ClearThreshold">The clear threshold (at most <paramref name="Threshold"/>).</param>
public sealed record ThresholdUpdate(string Alarm, float Threshold, float ClearThreshold);

/// <summary>
/// A remote update for one board, published signed (<c>SignedMessage</c>) to <c>edgelstm/&lt;deviceId&gt;/cmd</c>:
/// which board, a version that must rise with every update the board accepts (no rollback, no replay), when it was
/// issued and when it expires, and either model bytes or thresholds. Wire format: <see cref="UpdateCommandCodec"/>,
/// docs/protocol.md § Commands.
/// </summary>
public sealed record UpdateCommand
{
    /// <summary>What the command changes.</summary>
    public required UpdateKind Kind { get; init; }

    /// <summary>The one board this command is for; any other board refuses it.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The update's version: the board applies it only above the version of the last update it accepted.</summary>
    public required ulong Version { get; init; }

    /// <summary>When it was issued (Unix ms).</summary>
    public required ulong IssuedUnixMs { get; init; }

    /// <summary>After this (Unix ms, board clock) the board refuses it.</summary>
    public required ulong ExpiresUnixMs { get; init; }

    /// <summary>The .elstm file's bytes for <see cref="UpdateKind.Model"/>; empty otherwise.</summary>
    public ReadOnlyMemory<byte> Model { get; init; }

    /// <summary>The new thresholds for <see cref="UpdateKind.Thresholds"/>; empty otherwise.</summary>
    public IReadOnlyList<ThresholdUpdate> Thresholds { get; init; } = [];
}
