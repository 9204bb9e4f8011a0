using EdgeLstm.Core.Model;
using Microsoft.ML.OnnxRuntime;

namespace EdgeLstm.Bench;

/// <summary>
/// ONNX Runtime running an <see cref="OnnxGraphs"/> graph the fastest documented way: one intra-op thread,
/// tensors over preallocated pinned buffers (<see cref="OrtValue"/>), outputs written into preallocated values.
/// Streaming feeds the final h/c of one call back in as the initial h/c of the next (sequence length 1).
/// </summary>
public sealed class OrtLstm : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly List<IDisposable> _owned = [];
    private readonly int _inputs;

    private readonly float[] _sample;
    private readonly float[] _window;
    private readonly float[] _output;

    // Streaming: two state sets, A and B; a call reads one and writes the other (ORT must not alias them).
    private readonly string[] _streamInputNames;
    private readonly string[] _streamOutputNames;
    private readonly OrtValue[][] _streamInputs = new OrtValue[2][];
    private readonly OrtValue[][] _streamOutputs = new OrtValue[2][];
    private readonly float[][][] _states = new float[2][][];
    private int _parity;

    private readonly OrtValue[] _windowInputs;
    private readonly string[] _windowOutputNames = [OnnxGraphs.Output];
    private readonly OrtValue[] _windowOutputs;

    /// <summary>Creates a session for <paramref name="model"/> written with the given LSTM operator.</summary>
    public OrtLstm(RecurrentModel model, OnnxLstmFlavor flavor, int maxWindowLength)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(OnnxGraphs.Write(model, flavor), options);
        _inputs = model.InputSize;
        int layers = model.Layers.Count;
        _sample = new float[_inputs];
        _window = new float[maxWindowLength * _inputs];
        _output = new float[model.OutputSize];

        _streamInputNames = new string[1 + 2 * layers];
        _streamOutputNames = new string[1 + 2 * layers];
        _streamInputNames[0] = OnnxGraphs.Input;
        _streamOutputNames[0] = OnnxGraphs.Output;
        for (int l = 0; l < layers; l++)
        {
            _streamInputNames[1 + 2 * l] = OnnxGraphs.InitialHidden(l);
            _streamInputNames[2 + 2 * l] = OnnxGraphs.InitialCell(l);
            _streamOutputNames[1 + 2 * l] = OnnxGraphs.FinalHidden(l);
            _streamOutputNames[2 + 2 * l] = OnnxGraphs.FinalCell(l);
        }

        OrtValue sampleValue = Own(OrtValue.CreateTensorValueFromMemory(_sample, [1, 1, _inputs]));
        OrtValue outputValue = Own(OrtValue.CreateTensorValueFromMemory(_output, [1, _output.Length]));
        var stateValues = new OrtValue[2][];
        for (int p = 0; p < 2; p++)
        {
            _states[p] = new float[2 * layers][];
            stateValues[p] = new OrtValue[2 * layers];
            for (int s = 0; s < 2 * layers; s++)
            {
                int hidden = model.Layers[s / 2].HiddenSize;
                _states[p][s] = new float[hidden];
                stateValues[p][s] = Own(OrtValue.CreateTensorValueFromMemory(_states[p][s], [1, 1, hidden]));
            }
        }
        for (int p = 0; p < 2; p++)
        {
            _streamInputs[p] = [sampleValue, .. stateValues[p]];
            _streamOutputs[p] = [outputValue, .. stateValues[1 - p]];
        }

        // Windows start from zero state: the third state set, never written.
        var zeros = new OrtValue[2 * layers];
        for (int s = 0; s < 2 * layers; s++)
        {
            int hidden = model.Layers[s / 2].HiddenSize;
            zeros[s] = Own(OrtValue.CreateTensorValueFromMemory(new float[hidden], [1, 1, hidden]));
        }
        _windowInputs = [Own(OrtValue.CreateTensorValueFromMemory(_window, [maxWindowLength, 1, _inputs])), .. zeros];
        _windowOutputs = [outputValue];
    }

    /// <summary>Zeroes the carried state.</summary>
    public void Reset()
    {
        foreach (float[][] set in _states)
            foreach (float[] s in set) Array.Clear(s);
    }

    /// <summary>One streaming step: sample in, prediction out, h/c carried.</summary>
    public void Step(ReadOnlySpan<float> sample, Span<float> output)
    {
        sample.CopyTo(_sample);
        _session.Run(_runOptions, _streamInputNames, _streamInputs[_parity], _streamOutputNames, _streamOutputs[_parity]);
        _parity ^= 1;
        _output.CopyTo(output);
    }

    /// <summary>One window (T × I, T = the maximum window length given at construction) from zero state.</summary>
    public void RunWindow(ReadOnlySpan<float> window, Span<float> output)
    {
        window.CopyTo(_window);
        _session.Run(_runOptions, _streamInputNames, _windowInputs, _windowOutputNames, _windowOutputs);
        _output.CopyTo(output);
    }

    private OrtValue Own(OrtValue value)
    {
        _owned.Add(value);
        return value;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (IDisposable d in _owned) d.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
