namespace EdgeLstm.Runtime.Decision;

/// <summary>What the decision stage made of one sample, for the frame stage and the alarm pin.</summary>
/// <param name="Score">The first alarm's smoothed score (NaN without alarms or before its first score).</param>
/// <param name="Anomaly">
/// The first alarm's score mapped to [0, 1] for the wire: probability-like scores as they are, residual scores relative
/// to the threshold (0.5 = at the threshold; 0 before commissioning ends or without alarms).
/// </param>
/// <param name="AnyRaised">True while any alarm is raised. The alarms that changed at this sample are <see cref="DecisionStage.Changes"/>.</param>
internal readonly record struct DecisionResult(float Score, float Anomaly, bool AnyRaised);

/// <summary>An alarm raised or cleared at a sample, as an Alarm frame reports it.</summary>
/// <param name="Name">The alarm's name.</param>
/// <param name="ClassIndex">The scored output's class index, or the anomaly index for every other score.</param>
/// <param name="Change">Raised or cleared, the score and how long the condition lasted.</param>
internal readonly record struct AlarmEvent(string Name, int ClassIndex, AlarmChange Change);
