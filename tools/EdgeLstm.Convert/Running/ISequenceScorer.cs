namespace EdgeLstm.Convert.Running;

/// <summary>A model that scores sequences: the .elstm engine or the ONNX original in ONNX Runtime.</summary>
public interface ISequenceScorer
{
    /// <summary>Channels per time step.</summary>
    int InputSize { get; }

    /// <summary>Values per prediction.</summary>
    int OutputSize { get; }

    /// <summary>Runs a window of <paramref name="steps"/> samples (row-major, steps × <see cref="InputSize"/>) from the initial state.</summary>
    float[] ScoreWindow(ReadOnlySpan<float> window, int steps);

    /// <summary>
    /// The output for every prefix 0..t of the sequence (t = 0..steps-1), each from the initial state; what a
    /// streaming runtime reports after every sample.
    /// </summary>
    float[][] ScorePrefixes(ReadOnlySpan<float> sequence, int steps, Action<int>? progress = null);
}
