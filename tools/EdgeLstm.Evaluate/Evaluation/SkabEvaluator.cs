using EdgeLstm.Evaluate.Metrics;
using EdgeLstm.Evaluate.Runtime;
using EdgeLstm.Evaluate.Skab;

namespace EdgeLstm.Evaluate.Evaluation;

/// <summary>Scores committed models on the runtime: convert, replay the whole recording, decode frames, count test rows.</summary>
/// <param name="models">The folder with <c>&lt;variant&gt;/&lt;group&gt;-&lt;n&gt;.onnx</c> and <c>.decision.json</c>.</param>
/// <param name="cache">Converted models.</param>
/// <param name="runtime">The runtime binary.</param>
/// <param name="workDirectory">Where board configs are written.</param>
public sealed class SkabEvaluator(string models, ModelCache cache, RuntimeProcess runtime, string workDirectory)
{
    /// <summary>Scores one recording.</summary>
    /// <param name="recording">The recording.</param>
    /// <param name="variant">strict or commissioning.</param>
    /// <param name="precision">Weight precision.</param>
    /// <param name="factorKey">The decision-settings factor key.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The result.</returns>
    /// <exception cref="EvaluationException">Missing model or settings, a conversion or runtime failure.</exception>
    public async Task<RecordingResult> EvaluateAsync(SkabRecording recording, string variant, Precision precision, string factorKey = "factor", CancellationToken cancellationToken = default)
    {
        string stem = Path.Combine(models, variant, recording.ModelStem);
        string onnx = stem + ".onnx";
        if (!File.Exists(onnx))
        {
            throw new EvaluationException($"model not found for {recording.Name}: {Path.GetFullPath(onnx)}");
        }

        DecisionSettings decision = DecisionSettings.Load(stem + ".decision.json", factorKey);
        string model = cache.Get(onnx, precision);

        Directory.CreateDirectory(workDirectory);
        string board = Path.Combine(workDirectory, $"{variant}-{recording.ModelStem}-{precision}.board.json".ToLowerInvariant());
        await File.WriteAllTextAsync(board, ReplayBoard.Build(recording, model, decision), cancellationToken).ConfigureAwait(false);

        byte[] output = await runtime.RunAsync(board, cancellationToken).ConfigureAwait(false);
        RunTrace trace;
        using (var frames = new MemoryStream(output, writable: false))
        {
            trace = await RunTrace.DecodeAsync(frames, cancellationToken).ConfigureAwait(false);
        }

        bool[] fault = LabelReader.ReadAnomaly(recording.CsvPath);
        bool[] alarm = AlarmTimeline.Reconstruct(fault.Length, trace.Alarms);
        // The protocol scores only the test part: rows from the end of the fitting rows on.
        Confusion counts = Confusion.Count(alarm, fault, decision.CalibrationRows);
        return new RecordingResult(recording, counts, trace, alarm, fault, new FileInfo(model).Length, decision);
    }

    /// <summary>Scores every recording, in dataset order.</summary>
    /// <param name="recordings">The recordings.</param>
    /// <param name="variant">strict or commissioning.</param>
    /// <param name="precision">Weight precision.</param>
    /// <param name="factorKey">The decision-settings factor key.</param>
    /// <param name="cancellationToken">Stops the runs.</param>
    /// <returns>The pooled result.</returns>
    public async Task<EvaluationResult> EvaluateAllAsync(IReadOnlyList<SkabRecording> recordings, string variant, Precision precision, string factorKey = "factor", CancellationToken cancellationToken = default)
    {
        var results = new List<RecordingResult>(recordings.Count);
        foreach (SkabRecording recording in recordings)
        {
            results.Add(await EvaluateAsync(recording, variant, precision, factorKey, cancellationToken).ConfigureAwait(false));
        }

        return new EvaluationResult(variant, precision, factorKey, results);
    }
}
