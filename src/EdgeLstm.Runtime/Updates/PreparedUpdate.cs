using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Inference;

namespace EdgeLstm.Runtime.Updates;

/// <summary>
/// A command after the update worker handled it: either verified and ready to swap in between two samples (a model
/// loaded and checked against the board, or rules with new thresholds), or refused with the reason.
/// </summary>
/// <param name="Version">The command's version, 0 when it could not be read.</param>
/// <param name="Refusal">Why it is refused, or null when it is ready.</param>
internal sealed record PreparedUpdate(ulong Version, string? Refusal)
{
    /// <summary>The kind, for a ready update.</summary>
    public UpdateKind Kind { get; init; }

    /// <summary>The new model (model updates).</summary>
    public RuntimeModel? Model { get; init; }

    /// <summary>The new model's id (model updates).</summary>
    public string? ModelId { get; init; }

    /// <summary>The new model file's bytes, persisted once it runs (model updates).</summary>
    public byte[]? ModelBytes { get; init; }

    /// <summary>The rules to decide with after the swap.</summary>
    public IReadOnlyList<AlarmRule> Rules { get; init; } = [];

    /// <summary>The thresholds set (thresholds updates).</summary>
    public IReadOnlyList<ThresholdUpdate> Thresholds { get; init; } = [];

    /// <summary>A refusal of the command with <paramref name="version"/>.</summary>
    public static PreparedUpdate Refused(ulong version, string reason) => new(version, reason);
}
