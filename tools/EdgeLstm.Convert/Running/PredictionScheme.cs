using System.Globalization;

namespace EdgeLstm.Convert.Running;

/// <summary>
/// How one sequence becomes predictions: one after every step, each from the initial state (what streaming
/// reports), or one per window of a fixed length every <see cref="Stride"/> steps.
/// </summary>
public sealed class PredictionScheme
{
    private PredictionScheme(int? window, int stride, string description)
    {
        Window = window;
        Stride = stride;
        Description = description;
    }

    /// <summary>Steps per window; null for one prediction per step.</summary>
    public int? Window { get; }

    /// <summary>Steps between the starts of consecutive windows.</summary>
    public int Stride { get; }

    /// <summary>What one prediction is, e.g. <c>one prediction per window of 8 steps, stride 1</c>.</summary>
    public string Description { get; }

    /// <summary>One prediction per step, each for the steps 0..t.</summary>
    public static PredictionScheme PerStep(string description) => new(null, 1, description);

    /// <summary>One prediction per window of <paramref name="window"/> steps, every <paramref name="stride"/> steps.</summary>
    /// <param name="window">Steps per window, 1 or more.</param>
    /// <param name="stride">Steps between windows, 1 or more.</param>
    /// <param name="note">Said after the standard description (e.g. why this window), or null.</param>
    public static PredictionScheme Windows(int window, int stride, string? note = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        string text = string.Create(CultureInfo.InvariantCulture, $"one prediction per window of {window} steps, stride {stride}");
        return new(window, stride, note is null ? text : $"{text} ({note})");
    }

    /// <summary>The step each prediction ends at, for a sequence of <paramref name="steps"/> steps (at least one window).</summary>
    public int[] EndSteps(int steps) => Window is int w
        ? [.. Enumerable.Range(0, (steps - w) / Stride + 1).Select(i => i * Stride + w - 1)]
        : [.. Enumerable.Range(0, steps)];

    /// <summary>Scores <paramref name="data"/> (row-major steps × channels) with <paramref name="scorer"/>.</summary>
    /// <param name="scorer">The model.</param>
    /// <param name="data">The sequence.</param>
    /// <param name="steps">Steps in <paramref name="data"/>; at least one window.</param>
    /// <param name="progress">Called with the number of predictions made so far.</param>
    public float[][] Score(ISequenceScorer scorer, ReadOnlySpan<float> data, int steps, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        if (Window is not int window) return scorer.ScorePrefixes(data, steps, progress);
        int[] ends = EndSteps(steps);
        var rows = new float[ends.Length][];
        for (int i = 0; i < ends.Length; i++)
        {
            int start = ends[i] - window + 1;
            rows[i] = scorer.ScoreWindow(data.Slice(start * scorer.InputSize, window * scorer.InputSize), window);
            progress?.Invoke(i + 1);
        }
        return rows;
    }
}
