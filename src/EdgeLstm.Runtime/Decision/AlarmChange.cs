namespace EdgeLstm.Runtime.Decision;

/// <summary>An alarm was raised or cleared at a sample.</summary>
/// <param name="RuleIndex">Which rule of the decision stage changed.</param>
/// <param name="Raised">True when raised, false when cleared.</param>
/// <param name="Score">The (smoothed) score at the change.</param>
/// <param name="DurationSamples">
/// On raise: samples the score has been above the threshold (≥ the rule's minimum). On clear: samples since
/// the condition started (the first sample above the threshold before the raise).
/// </param>
public readonly record struct AlarmChange(int RuleIndex, bool Raised, float Score, long DurationSamples);
