using EdgeLstm.Convert.Running;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Verification;

/// <summary>Limits and data options for a verification.</summary>
/// <param name="Tolerance">Accepted max abs error relative to max(1, largest |ONNX output|).</param>
/// <param name="MinAgreement">Accepted top-1 agreement for classifiers, 0..1.</param>
/// <param name="RandomSteps">Length of the random sequence when no data is given; 0 picks one from the metadata.</param>
/// <param name="Seed">Seed of the random sequence.</param>
public sealed record VerificationOptions(float Tolerance, double MinAgreement = 0.99, int RandomSteps = 0, int Seed = 1);

/// <summary>
/// Runs the same sequence through ONNX Runtime and the .elstm engine the way the board will: a streaming model
/// gives one prediction per step (each prefix from the initial state), a windowed model one per window.
/// </summary>
public static class Verifier
{
    /// <summary>The default tolerance for a precision: float32 must match closely, int8 within the engine's stated 0.02.</summary>
    public static float DefaultTolerance(ModelPrecision precision) => precision == ModelPrecision.Int8 ? 0.02f : 1e-4f;

    /// <summary>A random N(0, 1) sequence in the model's (normalized) input space.</summary>
    public static float[] RandomSequence(int steps, int channels, int seed)
    {
        var random = new Random(seed);
        var values = new float[steps * channels];
        for (int i = 0; i < values.Length; i++)
        {
            // Box–Muller: normalized sensor data is roughly unit normal.
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return values;
    }

    /// <summary>Steps of random data for a model: 64 for streaming, ten windows for windowed models.</summary>
    public static int DefaultSteps(ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.Mode == ExecutionMode.Windowed ? metadata.WindowLength + 9 * metadata.Stride : 64;
    }

    /// <summary>Compares <paramref name="engine"/> with <paramref name="onnx"/> on <paramref name="data"/>.</summary>
    /// <param name="model">The .elstm model (for its metadata and streaming ability).</param>
    /// <param name="onnx">ONNX Runtime running the original.</param>
    /// <param name="engine">The engine running <paramref name="model"/>.</param>
    /// <param name="data">Row-major steps × channels.</param>
    /// <param name="steps">Number of time steps in <paramref name="data"/>.</param>
    /// <param name="dataDescription">Where the data came from.</param>
    /// <param name="options">Limits.</param>
    /// <param name="progress">Called with (done, total) predictions per scorer.</param>
    public static ComparisonResult Compare(RecurrentModel model, ISequenceScorer onnx, ISequenceScorer engine, float[] data, int steps,
        string dataDescription, VerificationOptions options, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ModelMetadata meta = model.Metadata;
        float[][] want, got;
        int[] positions;
        string scheme;
        if (meta.Mode == ExecutionMode.Streaming && model.CanStream)
        {
            scheme = "one prediction per step (streaming, state carried from step 0)";
            want = onnx.ScorePrefixes(data, steps, done => progress?.Invoke(done, 2 * steps));
            got = engine.ScorePrefixes(data, steps, done => progress?.Invoke(steps + done, 2 * steps));
            positions = [.. Enumerable.Range(0, steps)];
        }
        else
        {
            int window = Math.Min(meta.WindowLength, steps), stride = Math.Max(1, meta.Stride);
            int[] starts = [.. Enumerable.Range(0, (steps - window) / stride + 1).Select(i => i * stride)];
            scheme = $"one prediction per window of {window} steps, stride {stride}";
            want = new float[starts.Length][];
            got = new float[starts.Length][];
            for (int i = 0; i < starts.Length; i++)
            {
                ReadOnlySpan<float> slice = data.AsSpan(starts[i] * model.InputSize, window * model.InputSize);
                want[i] = onnx.ScoreWindow(slice, window);
                got[i] = engine.ScoreWindow(slice, window);
                progress?.Invoke(i + 1, starts.Length);
            }
            positions = [.. starts.Select(s => s + window - 1)];
        }
        float largest = want.SelectMany(r => r).Select(Math.Abs).DefaultIfEmpty(0).Max();
        return new ComparisonResult(scheme, dataDescription, meta.OutputNames, positions, want, got,
            options.Tolerance * Math.Max(1f, largest), options.MinAgreement, meta.OutputKind == OutputKind.Classifier);
    }
}
