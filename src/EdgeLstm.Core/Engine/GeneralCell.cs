using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>
/// The general cell: any LSTM or GRU, float32 or int8. Each weight matrix goes through a
/// <see cref="WeightMatVec"/>, then the ONNX equations run as separate element-wise passes over the gates.
/// All scratch memory is allocated here, once.
/// </summary>
internal sealed class GeneralCell : RecurrentCell
{
    private readonly RecurrentKind _kind;
    private readonly int _hidden;
    private readonly WeightMatVec _w;
    private readonly WeightMatVec _r;
    private readonly float[] _inputBias;      // LSTM: Wb + Rb; GRU: Wb
    private readonly float[] _recurrenceBias; // GRU: Rb
    private readonly float[]? _peepholes;
    private readonly ActivationKind _f, _g, _h;
    private readonly float _clip;
    private readonly bool _linearBeforeReset;
    private readonly float[] _gates;
    private readonly float[] _recurrent;
    private readonly float[] _temp;

    public GeneralCell(RecurrentLayer layer, int direction) : base(layer.Directions[direction])
    {
        DirectionWeights weights = layer.Directions[direction];
        _kind = layer.Kind;
        _hidden = layer.HiddenSize;
        _w = WeightMatVec.Create(weights.W);
        _r = WeightMatVec.Create(weights.R);
        _peepholes = weights.Peepholes;
        _clip = layer.Clip;
        _linearBeforeReset = layer.LinearBeforeReset;
        int k = layer.ActivationsPerDirection;
        _f = layer.Activations[direction * k];
        _g = layer.Activations[direction * k + 1];
        _h = _kind == RecurrentKind.Lstm ? layer.Activations[direction * k + 2] : ActivationKind.None;
        int gateRows = layer.GateCount * _hidden;
        if (_kind == RecurrentKind.Lstm)
        {
            _inputBias = CombinedBias(weights);
            _recurrenceBias = [];
        }
        else
        {
            _inputBias = (float[])weights.InputBias.Clone();
            _recurrenceBias = (float[])weights.RecurrenceBias.Clone();
        }
        _gates = new float[gateRows];
        _recurrent = new float[gateRows];
        _temp = new float[2 * _hidden];
    }

    public override void Step(ReadOnlySpan<float> x, Span<float> h, Span<float> c)
    {
        if (_kind == RecurrentKind.Lstm) StepLstm(x, h, c);
        else StepGru(x, h);
    }

    private void StepLstm(ReadOnlySpan<float> x, Span<float> h, Span<float> c)
    {
        int n = _hidden;
        Span<float> gates = _gates;
        _w.Multiply(x, gates);
        _r.Multiply(h, _recurrent);
        SpanMath.AddAdd(gates, _recurrent, _inputBias, gates);
        Span<float> i = gates[..n], o = gates.Slice(n, n), f = gates.Slice(2 * n, n), g = gates.Slice(3 * n, n);
        if (_peepholes is null)
        {
            // Gates i, o, f are contiguous and need nothing but their activation: one pass for all three.
            Activations.Clip(_clip, gates);
            Activations.Apply(_f, gates[..(3 * n)]);
            Activations.Apply(_g, g);
        }
        else
        {
            SpanMath.AddMultiply(i, _peepholes.AsSpan(0, n), c, i);
            SpanMath.AddMultiply(f, _peepholes.AsSpan(2 * n, n), c, f);
            Activations.Clip(_clip, gates[..n]);
            Activations.Clip(_clip, gates[(2 * n)..]);
            Activations.Apply(_f, i);
            Activations.Apply(_f, f);
            Activations.Apply(_g, g);
        }
        // C = f ⊙ C + i ⊙ g
        Span<float> temp = _temp.AsSpan(0, n);
        SpanMath.Multiply(i, g, temp);
        SpanMath.AddMultiply(temp, f, c, c);
        if (_peepholes is not null)
        {
            SpanMath.AddMultiply(o, _peepholes.AsSpan(n, n), c, o);
            Activations.Clip(_clip, o);
            Activations.Apply(_f, o);
        }
        // H = o ⊙ h(C)
        Activations.ApplyGated(_h, o, c, h);
    }

    private void StepGru(ReadOnlySpan<float> x, Span<float> h)
    {
        int n = _hidden;
        Span<float> gates = _gates, rec = _recurrent;
        _w.Multiply(x, gates);
        SpanMath.Add(gates, _inputBias, gates);
        Span<float> z = gates[..n], r = gates.Slice(n, n), hh = gates.Slice(2 * n, n);
        // Without linear-before-reset, Rh multiplies r ⊙ h, which is known only after the reset gate.
        int recurrentRows = _linearBeforeReset ? 3 * n : 2 * n;
        Span<float> recurrent = rec[..recurrentRows];
        _r.Multiply(h, 0, recurrentRows, recurrent);
        SpanMath.Add(recurrent, _recurrenceBias.AsSpan(0, recurrentRows), recurrent);
        SpanMath.Add(gates[..(2 * n)], rec[..(2 * n)], gates[..(2 * n)]);
        Activations.Clip(_clip, gates[..(2 * n)]);
        Activations.Apply(_f, z);
        Activations.Apply(_f, r);
        Span<float> recH = rec.Slice(2 * n, n);
        if (_linearBeforeReset)
        {
            // h̃ = g(Wh·x + Wbh + r ⊙ (Rh·h + Rbh))
            SpanMath.Multiply(r, recH, recH);
        }
        else
        {
            // h̃ = g(Wh·x + Wbh + Rh·(r ⊙ h) + Rbh)
            Span<float> resetHidden = _temp.AsSpan(0, n);
            SpanMath.Multiply(r, h, resetHidden);
            _r.Multiply(resetHidden, 2 * n, n, recH);
            SpanMath.Add(recH, _recurrenceBias.AsSpan(2 * n, n), recH);
        }
        SpanMath.Add(hh, recH, hh);
        Activations.Clip(_clip, hh);
        Activations.Apply(_g, hh);
        // H = (1 − z) ⊙ h̃ + z ⊙ H
        Span<float> keep = _temp.AsSpan(n, n);
        SpanMath.OneMinus(z, keep);
        SpanMath.Multiply(keep, hh, keep);
        SpanMath.Multiply(z, h, z);
        SpanMath.Add(keep, z, h);
    }
}
