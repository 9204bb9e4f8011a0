using EdgeLstm.Evaluate.Evaluation;

namespace EdgeLstm.Evaluate.Reporting;

/// <summary>Plots one recording scored on the runtime.</summary>
public static class RecordingPlot
{
    /// <summary>Writes the PNG.</summary>
    /// <param name="result">The recording's result.</param>
    /// <param name="precision">Precision label for the title.</param>
    /// <param name="path">The PNG path.</param>
    public static void Save(RecordingResult result, string precision, string path) => throw new EvaluationException("--plot is not implemented yet");
}
