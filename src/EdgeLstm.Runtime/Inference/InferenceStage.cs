using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Runtime.Inference;

/// <summary>
/// Normalizes each sample and runs the model the way its metadata says: one streaming step per sample with the
/// state carried, or every <c>Stride</c> samples a window of the last <c>WindowLength</c> samples from the
/// initial state. All buffers are allocated here; <see cref="Process"/> allocates nothing.
/// </summary>
/// <remarks>
/// Nothing a sample holds can throw here: a value that is not finite after normalization (a huge reading, a
/// normalization the float range cannot hold) is counted per channel and replaced by the channel's last finite value
/// (0, the channel's mean, before one), like a held read; an output that is not finite (diverging weights or
/// activations) is counted, replaced by NaN, and the model's state is reset so the next sample starts clean.
/// </remarks>
internal sealed class InferenceStage : IDisposable
{
    private readonly IInferenceEngine _engine;
    private readonly Normalizer _normalizer;
    private readonly ExecutionMode _mode;
    private readonly int _channels;
    private readonly int _windowLength;
    private readonly int _stride;
    private readonly float[] _normalized;
    private readonly float[] _ring;     // the last WindowLength normalized samples, circular
    private readonly float[] _window;   // the same samples in time order, for RunWindow
    private readonly float[] _output;
    private readonly float[] _lastFinite;   // per channel, the last normalized value that was finite
    private readonly long[] _nonFinite;     // per channel, samples whose normalized value was not
    private long _modelResets;
    private long _samplesSeen;
    private int _sinceLastRun;

    public InferenceStage(RuntimeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelMetadata meta = model.Metadata;
        _mode = model.CanStream ? meta.Mode : ExecutionMode.Windowed;
        _channels = model.InputSize;
        _windowLength = _mode == ExecutionMode.Windowed ? meta.WindowLength : 1;
        _stride = _mode == ExecutionMode.Windowed ? meta.Stride : 1;
        _engine = model.CreateEngine(_windowLength);
        _normalizer = new Normalizer(meta.Channels);
        _normalized = new float[_channels];
        // checked: the model's limits (ModelLimits.MaxWindowValues) keep the product far below int.MaxValue.
        _ring = new float[checked(_windowLength * _channels)];
        _window = new float[checked(_windowLength * _channels)];
        _output = new float[_engine.OutputSize];
        _lastFinite = new float[_channels];
        _nonFinite = new long[_channels];
    }

    /// <summary>Releases the engine.</summary>
    public void Dispose() => _engine.Dispose();

    /// <summary>Streaming or windowed (a model with a reverse layer always runs windowed).</summary>
    public ExecutionMode Mode => _mode;

    /// <summary>The latest normalized sample (what the model saw).</summary>
    public ReadOnlySpan<float> Normalized => _normalized;

    /// <summary>The latest model output.</summary>
    public ReadOnlySpan<float> Output => _output;

    /// <summary>Values per model output.</summary>
    public int OutputSize => _output.Length;

    /// <summary>True when the latest sample had a channel whose normalized value was not finite (replaced, counted).</summary>
    public bool InputReplaced { get; private set; }

    /// <summary>True when the latest output was not finite: <see cref="Output"/> is NaN and the state was reset.</summary>
    public bool OutputFailed { get; private set; }

    /// <summary>Per model channel, the samples whose normalized value was not finite, since start.</summary>
    public ReadOnlySpan<long> NonFiniteInputs => _nonFinite;

    /// <summary>Times the output was not finite and the model's state was reset, since start.</summary>
    public long ModelResets => _modelResets;

    /// <summary>
    /// Feeds one raw sample (channels in model order). Returns true when the model produced a new output:
    /// every sample when streaming; when windowed, once the window is full and then every <c>Stride</c> samples.
    /// </summary>
    public bool Process(ReadOnlySpan<float> raw)
    {
        _normalizer.Normalize(raw, _normalized);
        ReplaceNonFinite();
        OutputFailed = false;
        if (_mode == ExecutionMode.Streaming)
        {
            _engine.Step(_normalized, _output);
            CheckOutput();
            return true;
        }
        int slot = (int)(_samplesSeen % _windowLength);
        _normalized.CopyTo(_ring.AsSpan(slot * _channels, _channels));
        _samplesSeen++;
        _sinceLastRun++;
        if (_samplesSeen < _windowLength || _sinceLastRun < _stride) return false;
        _sinceLastRun = 0;
        // Oldest sample first: the one after the slot just written.
        int oldest = (slot + 1) % _windowLength;
        int head = (_windowLength - oldest) * _channels;
        _ring.AsSpan(oldest * _channels, head).CopyTo(_window);
        _ring.AsSpan(0, oldest * _channels).CopyTo(_window.AsSpan(head));
        _engine.RunWindow(_window, _output);
        CheckOutput();
        return true;
    }

    private void ReplaceNonFinite()
    {
        bool replaced = false;
        for (int i = 0; i < _normalized.Length; i++)
        {
            if (float.IsFinite(_normalized[i]))
            {
                _lastFinite[i] = _normalized[i];
                continue;
            }
            _normalized[i] = _lastFinite[i];
            _nonFinite[i]++;
            replaced = true;
        }
        InputReplaced = replaced;
    }

    private void CheckOutput()
    {
        foreach (float value in _output)
        {
            if (float.IsFinite(value)) continue;
            // A NaN in the carried state would stay there for good: start over, and say so.
            _output.AsSpan().Fill(float.NaN);
            _engine.Reset();
            _modelResets++;
            OutputFailed = true;
            return;
        }
    }

    /// <summary>Starts over from the model's initial state and an empty window.</summary>
    public void Reset()
    {
        _engine.Reset();
        _samplesSeen = 0;
        _sinceLastRun = 0;
    }
}
