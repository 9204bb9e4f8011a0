using EdgeLstm.Evaluate.Metrics;
using EdgeLstm.Evaluate.Runtime;
using EdgeLstm.Evaluate.Skab;

namespace EdgeLstm.Evaluate.Evaluation;

/// <summary>One recording scored on the runtime.</summary>
/// <param name="Recording">The recording.</param>
/// <param name="Counts">Its test-part confusion counts.</param>
/// <param name="Trace">What the runtime reported.</param>
/// <param name="Alarm">The reconstructed alarm state per row.</param>
/// <param name="Fault">The labels per row.</param>
/// <param name="ModelBytes">Size of the converted model file.</param>
/// <param name="Decision">The decision settings the board ran with.</param>
public sealed record RecordingResult(SkabRecording Recording, Confusion Counts, RunTrace Trace, bool[] Alarm, bool[] Fault, long ModelBytes, DecisionSettings Decision);
