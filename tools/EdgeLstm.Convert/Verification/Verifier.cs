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
/// gives one prediction per step (each prefix from the initial state), a windowed model one per window; a graph
/// whose input fixes the time dimension is compared on windows of that length only.
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

    /// <summary>
    /// Steps of random data for a model: 64 for streaming, ten windows for windowed models; ten windows of
    /// <paramref name="fixedSteps"/> when the ONNX graph's input fixes the time dimension.
    /// </summary>
    public static int DefaultSteps(ModelMetadata metadata, int? fixedSteps = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        int stride = metadata.Mode == ExecutionMode.Windowed ? Math.Max(1, metadata.Stride) : 1;
        if (fixedSteps is int window) return window + 9 * stride;
        return metadata.Mode == ExecutionMode.Windowed ? metadata.WindowLength + 9 * stride : 64;
    }

    /// <summary>Compares <paramref name="engine"/> with <paramref name="onnx"/> on <paramref name="data"/>, prediction by prediction.</summary>
    /// <param name="model">The .elstm model (for its metadata).</param>
    /// <param name="scheme">How the data becomes predictions.</param>
    /// <param name="onnx">ONNX Runtime running the original.</param>
    /// <param name="engine">The engine running <paramref name="model"/>.</param>
    /// <param name="data">Row-major steps × channels.</param>
    /// <param name="steps">Number of time steps in <paramref name="data"/>.</param>
    /// <param name="dataDescription">Where the data came from.</param>
    /// <param name="options">Limits.</param>
    /// <param name="progress">Called with (done, total) predictions over both scorers.</param>
    public static ComparisonResult Compare(RecurrentModel model, PredictionScheme scheme, ISequenceScorer onnx, ISequenceScorer engine, float[] data,
        int steps, string dataDescription, VerificationOptions options, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ModelMetadata meta = model.Metadata;
        int[] positions = scheme.EndSteps(steps);
        int total = 2 * positions.Length;
        float[][] want = scheme.Score(onnx, data, steps, done => progress?.Invoke(done, total));
        float[][] got = scheme.Score(engine, data, steps, done => progress?.Invoke(positions.Length + done, total));
        float largest = want.SelectMany(r => r).Select(Math.Abs).DefaultIfEmpty(0).Max();
        return new ComparisonResult(scheme.Description, dataDescription, meta.OutputNames, positions, want, got,
            options.Tolerance * Math.Max(1f, largest), options.MinAgreement, meta.OutputKind == OutputKind.Classifier);
    }
}
