using System.Globalization;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Running;

/// <summary>
/// Chooses how <c>verify</c> and <c>predict</c> cut a sequence into predictions: the way the board runs the model,
/// limited to what the ONNX graph's input shape lets ONNX Runtime run. A graph whose input fixes the time dimension
/// runs only on windows of exactly that length, so it never gets prefixes or other windows.
/// </summary>
internal static class SchemeSelection
{
    /// <summary>The scheme for comparing an .elstm model with its ONNX original.</summary>
    /// <param name="model">The .elstm model.</param>
    /// <param name="onnx">The ONNX graph as imported (its fixed time dimension).</param>
    /// <param name="steps">Steps of data to compare on.</param>
    /// <param name="onnxPath">Names the ONNX file in errors.</param>
    /// <param name="elstmPath">Names the .elstm file in errors.</param>
    /// <param name="dataSource">Names the data in errors (a CSV path, or the random sequence).</param>
    /// <exception cref="ConversionException">The two models run different windows, or the data is shorter than the graph's window.</exception>
    public static PredictionScheme ForVerify(RecurrentModel model, ImportedModel onnx, int steps, string onnxPath, string elstmPath, string dataSource)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(onnx);
        ModelMetadata meta = model.Metadata;
        int stride = Math.Max(1, meta.Stride);
        if (onnx.StaticTimeSteps is not int fixedSteps)
        {
            return meta.Mode == ExecutionMode.Streaming && model.CanStream
                ? PredictionScheme.PerStep("one prediction per step (streaming, state carried from step 0)")
                : PredictionScheme.Windows(Math.Min(meta.WindowLength, steps), stride);
        }
        string fixes = $"{onnxPath}: {onnx.InputText} fixes the time dimension at {Text(fixedSteps)} steps";
        if (meta.Mode == ExecutionMode.Windowed && meta.WindowLength != fixedSteps)
            throw new ConversionException($"{elstmPath}: the model runs on windows of {Text(meta.WindowLength)} steps, but {fixes}; they do not run the same windows (convert the .elstm model again from this graph).");
        RequireOneWindow(steps, fixedSteps, dataSource, fixes);
        return meta.Mode == ExecutionMode.Windowed
            ? PredictionScheme.Windows(fixedSteps, stride)
            : PredictionScheme.Windows(fixedSteps, 1,
                $"the .elstm model streams, but {Path.GetFileName(onnxPath)}'s input fixes the time dimension, so ONNX Runtime runs only windows of {Text(fixedSteps)} steps");
    }

    /// <summary>
    /// The scheme for <c>predict</c>: one row per step for streaming models; one per window (the model's window and
    /// stride) for windowed ones. A windowed model without a window length, or a CSV shorter than the window, gives one
    /// row for the whole CSV — unless the graph fixes the time dimension, which then needs at least one window.
    /// </summary>
    /// <param name="mode">The model's execution mode.</param>
    /// <param name="canStream">False for models with a reverse or bidirectional layer.</param>
    /// <param name="window">The model's window length; null when none was given.</param>
    /// <param name="stride">The model's stride.</param>
    /// <param name="graph">The ONNX graph when scoring a .onnx file (its fixed time dimension); null for an .elstm model.</param>
    /// <param name="steps">Rows in the CSV.</param>
    /// <param name="modelPath">Names the model in errors.</param>
    /// <param name="inputPath">Names the CSV in errors.</param>
    /// <exception cref="ConversionException">The CSV is shorter than the window the graph fixes.</exception>
    public static PredictionScheme ForPredict(ExecutionMode mode, bool canStream, int? window, int stride, ImportedModel? graph, int steps,
        string modelPath, string inputPath)
    {
        if (graph?.StaticTimeSteps is int fixedSteps)
        {
            RequireOneWindow(steps, fixedSteps, inputPath, $"{modelPath}: {graph.InputText} fixes the time dimension at {Text(fixedSteps)} steps");
            return PredictionScheme.Windows(fixedSteps, Math.Max(1, stride));
        }
        if (mode == ExecutionMode.Streaming && canStream)
            return PredictionScheme.PerStep("one prediction per step (streaming, state carried from step 0)");
        if (window is int w && w <= steps) return PredictionScheme.Windows(w, Math.Max(1, stride));
        return PredictionScheme.Windows(steps, 1, window is int longer
            ? $"the whole sequence: it is shorter than the model's window of {Text(longer)} steps"
            : "the whole sequence: the model has no window length");
    }

    private static void RequireOneWindow(int steps, int window, string dataSource, string fixes)
    {
        if (steps < window)
            throw new ConversionException($"{dataSource}: {Text(steps)} steps are fewer than one window: {fixes}.");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
