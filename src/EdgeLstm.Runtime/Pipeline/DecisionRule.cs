using EdgeLstm.Runtime.Decision;

namespace EdgeLstm.Runtime.Pipeline;

/// <summary>One alarm of the decision stage: what to score and when to raise and clear.</summary>
/// <param name="Alarm">Thresholds, hysteresis, minimum duration, smoothing.</param>
/// <param name="Score">How the score is computed from the model output.</param>
/// <param name="Output">The output name for <see cref="ScoreKind.Output"/>; otherwise null.</param>
public sealed record DecisionRule(AlarmRule Alarm, ScoreKind Score, string? Output = null);
