using EdgeLstm.Convert.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace EdgeLstm.Convert.Running;

/// <summary>Scores sequences with the original ONNX model in ONNX Runtime (CPU, one thread, batch of one).</summary>
public sealed class OnnxRuntimeScorer : ISequenceScorer, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly InputLayout _layout;
    private readonly string _path;
    private readonly string _inputText;

    /// <summary>Opens <paramref name="path"/>; <paramref name="imported"/> tells its input layout and sizes.</summary>
    /// <exception cref="ConversionException">ONNX Runtime rejects the model.</exception>
    public OnnxRuntimeScorer(string path, ImportedModel imported)
    {
        ArgumentNullException.ThrowIfNull(imported);
        _path = path;
        _inputName = imported.InputName;
        _outputName = imported.OutputName;
        _layout = imported.Layout;
        _inputText = imported.InputText;
        FixedSteps = imported.StaticTimeSteps;
        InputSize = imported.Model.InputSize;
        OutputSize = imported.Model.OutputSize;
        using var options = new SessionOptions { IntraOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        try
        {
            _session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ConversionException($"{path}: ONNX Runtime cannot load the model, so it cannot be compared: {e.Message.Split('\n')[0]}", e);
        }
    }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <inheritdoc/>
    public int OutputSize { get; }

    /// <summary>The time steps the graph's input fixes; null when any length runs.</summary>
    public int? FixedSteps { get; }

    /// <inheritdoc/>
    /// <exception cref="ConversionException">The graph's input fixes another number of steps, or ONNX Runtime fails.</exception>
    public float[] ScoreWindow(ReadOnlySpan<float> window, int steps)
    {
        // ONNX Runtime's own message for this ("Got invalid dimensions for input") does not say what the graph takes.
        if (FixedSteps is int fixedSteps && steps != fixedSteps)
            throw new ConversionException($"{_path}: {_inputText} fixes the time dimension at {fixedSteps} steps; ONNX Runtime cannot run it on {steps}.");
        long[] shape = _layout.ShapeFor(steps, InputSize);
        float[] data = Arrange(window[..(steps * InputSize)], steps, shape);
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(data, shape);
        try
        {
            using IDisposableReadOnlyCollection<OrtValue> results = _session.Run(new RunOptions(), [_inputName], [input], [_outputName]);
            ReadOnlySpan<float> values = results[0].GetTensorDataAsSpan<float>();
            if (values.Length != OutputSize)
                throw new ConversionException($"{_path}: ONNX Runtime returned {values.Length} values for output '{_outputName}'; the converted model produces {OutputSize}.");
            return values.ToArray();
        }
        catch (OnnxRuntimeException e)
        {
            throw new ConversionException($"{_path}: ONNX Runtime failed on a window of {steps} steps: {e.Message.Split('\n')[0]}", e);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ConversionException">The graph's input fixes the time dimension, so it cannot run prefixes of other lengths.</exception>
    public float[][] ScorePrefixes(ReadOnlySpan<float> sequence, int steps, Action<int>? progress = null)
    {
        // The graph does not expose its state, so each prefix is a separate run from the initial state.
        var outputs = new float[steps][];
        for (int t = 0; t < steps; t++)
        {
            outputs[t] = ScoreWindow(sequence, t + 1);
            progress?.Invoke(t + 1);
        }
        return outputs;
    }

    /// <summary>Copies time-major rows into the ONNX input's axis order (a batch of one needs no copy for [T,1,I] or [1,T,I]).</summary>
    private float[] Arrange(ReadOnlySpan<float> rows, int steps, long[] shape)
    {
        if (_layout.FeatureAxis == 2 && (_layout.TimeAxis == 0 || shape[0] == 1)) return rows.ToArray();
        var data = new float[rows.Length];
        var strides = new long[3];
        strides[2] = 1;
        strides[1] = shape[2];
        strides[0] = shape[1] * shape[2];
        for (int t = 0; t < steps; t++)
        {
            for (int f = 0; f < InputSize; f++)
                data[t * strides[_layout.TimeAxis] + f * strides[_layout.FeatureAxis]] = rows[t * InputSize + f];
        }

        return data;
    }

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();
}
