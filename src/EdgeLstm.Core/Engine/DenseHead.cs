using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>The dense layers after the recurrent stack; buffers allocated once.</summary>
internal sealed class DenseHead
{
    private readonly WeightMatVec[] _matVecs;
    private readonly DenseLayer[] _layers;
    private readonly float[] _bufferA;
    private readonly float[] _bufferB;

    public DenseHead(IReadOnlyList<DenseLayer> layers, int inputSize)
    {
        _layers = [.. layers];
        _matVecs = _layers.Select(l => WeightMatVec.Create(l.W)).ToArray();
        int width = _layers.Select(l => l.OutputSize).DefaultIfEmpty(inputSize).Max();
        _bufferA = new float[width];
        _bufferB = new float[width];
        OutputSize = _layers.Length > 0 ? _layers[^1].OutputSize : inputSize;
    }

    /// <summary>Values produced per prediction.</summary>
    public int OutputSize { get; }

    /// <summary>Runs every dense layer on <paramref name="input"/> and writes the result to <paramref name="output"/>.</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_layers.Length == 0)
        {
            input.CopyTo(output);
            return;
        }
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            Span<float> y = (l == _layers.Length - 1 ? output : (l % 2 == 0 ? _bufferA : _bufferB)).Slice(0, _layers[l].OutputSize);
            _matVecs[l].Multiply(x, y);
            SpanMath.Add(y, _layers[l].Bias, y);
            Activations.Apply(_layers[l].Activation, y);
            x = y;
        }
    }
}
