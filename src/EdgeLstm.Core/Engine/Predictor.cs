using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>
/// Runs a <see cref="RecurrentModel"/>: one sample at a time with the state carried (<see cref="Step"/>), or a
/// whole window from the initial state (<see cref="RunWindow"/>). Every buffer is allocated by the
/// constructor; after it, calls allocate nothing (except <see cref="RunWindow"/> the first time a window is
/// longer than any before). The engine follows the model's precision: float32 or int8. Not thread-safe:
/// use one predictor per thread.
/// </summary>
public sealed class Predictor
{
    private readonly RecurrentModel _model;
    private readonly bool _canStream;
    private readonly int _inputSize;
    private readonly RecurrentCell[][] _cells;       // [layer][direction]
    private readonly float[][][] _streamHidden;      // [layer][direction][H]
    private readonly float[][][] _streamCell;
    private readonly float[][][] _windowHidden;
    private readonly float[][][] _windowCell;
    private readonly DenseHead _head;
    private readonly float[] _headInput;
    private float[] _sequenceA = [];
    private float[] _sequenceB = [];
    private int _windowCapacity;

    /// <summary>Creates a predictor; validates the model first.</summary>
    /// <param name="model">The model to run.</param>
    /// <param name="maxWindowLength">Window length to preallocate for; 0 takes the model's metadata for a model that runs on windows, 1 for a streaming one.</param>
    /// <exception cref="InvalidModelException">The model is inconsistent.</exception>
    public Predictor(RecurrentModel model, int maxWindowLength = 0) : this(model, maxWindowLength, allowFusedCells: true)
    {
    }

    /// <summary>Creates a predictor; tests pass <paramref name="allowFusedCells"/> = false to run the general cells.</summary>
    internal Predictor(RecurrentModel model, int maxWindowLength, bool allowFusedCells)
        : this(model, maxWindowLength, (layer, direction) => RecurrentCell.Create(layer, direction, allowFusedCells))
    {
    }

    /// <summary>Creates a predictor whose cells come from <paramref name="createCell"/> (layer, direction): tests force a kernel path.</summary>
    internal Predictor(RecurrentModel model, int maxWindowLength, Func<RecurrentLayer, int, RecurrentCell> createCell)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(createCell);
        model.Validate();
        _model = model;
        // Read once: the model's lists may be any IReadOnlyList, and asking them per sample can allocate (LINQ enumerators).
        _canStream = model.CanStream;
        _inputSize = model.InputSize;
        int layers = model.Layers.Count;
        _cells = new RecurrentCell[layers][];
        _streamHidden = new float[layers][][];
        _streamCell = new float[layers][][];
        _windowHidden = new float[layers][][];
        _windowCell = new float[layers][][];
        for (int l = 0; l < layers; l++)
        {
            RecurrentLayer layer = model.Layers[l];
            _cells[l] = new RecurrentCell[layer.DirectionCount];
            _streamHidden[l] = new float[layer.DirectionCount][];
            _streamCell[l] = new float[layer.DirectionCount][];
            _windowHidden[l] = new float[layer.DirectionCount][];
            _windowCell[l] = new float[layer.DirectionCount][];
            for (int d = 0; d < layer.DirectionCount; d++)
            {
                _cells[l][d] = createCell(layer, d);
                _streamHidden[l][d] = new float[layer.HiddenSize];
                _streamCell[l][d] = new float[layer.HiddenSize];
                _windowHidden[l][d] = new float[layer.HiddenSize];
                _windowCell[l][d] = new float[layer.HiddenSize];
            }
        }
        _headInput = new float[model.Layers[^1].OutputSize];
        _head = new DenseHead(model.Head, _headInput.Length);
        // A streaming model's metadata window is not used by Step; RunWindow grows the buffers if asked for longer windows.
        EnsureWindowCapacity(Math.Max(1, maxWindowLength > 0 ? maxWindowLength : ModelMemory.WindowSteps(model)));
        Reset();
    }

    /// <summary>The model this predictor runs.</summary>
    public RecurrentModel Model => _model;

    /// <summary>Features per sample.</summary>
    public int InputSize => _inputSize;

    /// <summary>Values per prediction.</summary>
    public int OutputSize => _head.OutputSize;

    /// <summary>True when the model can run one sample at a time (every layer runs forward).</summary>
    public bool CanStream => _canStream;

    /// <summary>Returns the streaming state to the model's initial state.</summary>
    public void Reset()
    {
        for (int l = 0; l < _cells.Length; l++)
        {
            for (int d = 0; d < _cells[l].Length; d++)
                _cells[l][d].ResetState(_streamHidden[l][d], _streamCell[l][d]);
        }
    }

    /// <summary>
    /// Feeds one (normalized) sample, carries the state, and writes the prediction for the sequence so far.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has a reverse or bidirectional layer.</exception>
    /// <exception cref="ArgumentException">Wrong lengths, or a non-finite input (rejected so it cannot poison the carried state).</exception>
    public void Step(ReadOnlySpan<float> sample, Span<float> output)
    {
        if (!CanStream)
            throw new InvalidOperationException("This model has a reverse or bidirectional layer; it can only run on whole windows (RunWindow).");
        CheckInput(sample, InputSize, "sample");
        CheckOutput(output);
        ReadOnlySpan<float> x = sample;
        for (int l = 0; l < _cells.Length; l++)
        {
            _cells[l][0].Step(x, _streamHidden[l][0], _streamCell[l][0]);
            x = _streamHidden[l][0];
        }
        _head.Run(x, output);
    }

    /// <summary>
    /// Runs a window of T samples (row-major, T × <see cref="InputSize"/>) from the initial state and writes
    /// one prediction. Independent of the streaming state. For a forward-only model this equals <see cref="Reset"/>
    /// followed by T calls of <see cref="Step"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths, a non-finite input, or a window longer than <see cref="ModelLimits.MaxWindowValues"/> allows.</exception>
    public void RunWindow(ReadOnlySpan<float> window, Span<float> output)
    {
        int inputSize = InputSize;
        if (window.Length == 0 || window.Length % inputSize != 0)
            throw new ArgumentException($"A window must hold T × {inputSize} values; got {window.Length}.", nameof(window));
        CheckInput(window, window.Length, "window");
        CheckOutput(output);
        int steps = window.Length / inputSize;
        EnsureWindowCapacity(steps);
        ReadOnlySpan<float> input = window;
        int inputWidth = inputSize;
        for (int l = 0; l < _cells.Length; l++)
        {
            RecurrentLayer layer = _model.Layers[l];
            int width = layer.OutputSize, hidden = layer.HiddenSize;
            Span<float> sequence = (l % 2 == 0 ? _sequenceA : _sequenceB).AsSpan(0, steps * width);
            for (int d = 0; d < layer.DirectionCount; d++)
            {
                RecurrentCell cell = _cells[l][d];
                float[] h = _windowHidden[l][d], c = _windowCell[l][d];
                cell.ResetState(h, c);
                bool reverse = layer.Direction == RecurrentDirection.Reverse || d == 1;
                cell.Run(input, steps, inputWidth, reverse, h, c, sequence, width, d * hidden);
            }
            input = sequence;
            inputWidth = width;
        }
        if (_model.HeadInput == HeadInput.LastStep)
        {
            input.Slice((steps - 1) * inputWidth, inputWidth).CopyTo(_headInput);
        }
        else
        {
            RecurrentLayer last = _model.Layers[^1];
            for (int d = 0; d < last.DirectionCount; d++)
                _windowHidden[^1][d].CopyTo(_headInput.AsSpan(d * last.HiddenSize));
        }
        _head.Run(_headInput, output);
    }

    private void EnsureWindowCapacity(int steps)
    {
        if (steps <= _windowCapacity) return;
        long widest = ModelMemory.WidestStep(_model);
        if (steps * widest > ModelLimits.MaxWindowValues)
        {
            throw new ArgumentException(
                $"A window of {steps} steps needs {steps * widest} values in its widest buffer ({widest} per step); at most {ModelLimits.MaxWindowValues} are allowed.", nameof(steps));
        }

        int width = _model.Layers.Max(l => l.OutputSize);
        _sequenceA = new float[checked(steps * width)];
        _sequenceB = new float[checked(steps * width)];
        foreach (RecurrentCell[] directions in _cells)
        {
            foreach (RecurrentCell cell in directions)
                cell.EnsureCapacity(steps);
        }

        _windowCapacity = steps;
    }

    private static void CheckInput(ReadOnlySpan<float> input, int expected, string name)
    {
        if (input.Length != expected)
            throw new ArgumentException($"The {name} has {input.Length} values; the model takes {expected}.", name);
        for (int i = 0; i < input.Length; i++)
        {
            if (!float.IsFinite(input[i]))
                throw new ArgumentException($"The {name} value at index {i} is {input[i]}; inputs must be finite.", name);
        }
    }

    private void CheckOutput(Span<float> output)
    {
        if (output.Length < OutputSize)
            throw new ArgumentException($"The output span holds {output.Length} values; the model produces {OutputSize}.", nameof(output));
    }
}
