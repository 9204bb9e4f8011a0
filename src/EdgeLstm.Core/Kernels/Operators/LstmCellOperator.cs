using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// The LSTM cell update with the default activations, for the fused step: from the gate pre-activations
/// (i, o, f, g) and the old cell state, c' = σ(i)·tanh(g) + σ(f)·c and h' = σ(o)·tanh(c'). Each operation
/// is the one the separate passes of the general cell apply, in the same order, so both give the same bits.
/// </summary>
internal readonly struct LstmCellOperator(float clip)
{
    public (float Cell, float Hidden) Invoke(float i, float o, float f, float g, float c)
    {
        if (clip > 0)
        {
            var limit = new ClipOperator(clip);
            (i, o, f, g) = (limit.Invoke(i), limit.Invoke(o), limit.Invoke(f), limit.Invoke(g));
        }
        SigmoidOperator sigmoid = default;
        TanhOperator tanh = default;
        float cell = sigmoid.Invoke(i) * tanh.Invoke(g) + sigmoid.Invoke(f) * c;
        return (cell, sigmoid.Invoke(o) * tanh.Invoke(cell));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Vector128<float> Cell, Vector128<float> Hidden) Invoke(
        Vector128<float> i, Vector128<float> o, Vector128<float> f, Vector128<float> g, Vector128<float> c)
    {
        if (clip > 0)
        {
            var limit = new ClipOperator(clip);
            (i, o, f, g) = (limit.Invoke(i), limit.Invoke(o), limit.Invoke(f), limit.Invoke(g));
        }
        SigmoidOperator sigmoid = default;
        TanhOperator tanh = default;
        Vector128<float> cell = sigmoid.Invoke(i) * tanh.Invoke(g) + sigmoid.Invoke(f) * c;
        return (cell, sigmoid.Invoke(o) * tanh.Invoke(cell));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Vector256<float> Cell, Vector256<float> Hidden) Invoke(
        Vector256<float> i, Vector256<float> o, Vector256<float> f, Vector256<float> g, Vector256<float> c)
    {
        if (clip > 0)
        {
            var limit = new ClipOperator(clip);
            (i, o, f, g) = (limit.Invoke(i), limit.Invoke(o), limit.Invoke(f), limit.Invoke(g));
        }
        SigmoidOperator sigmoid = default;
        TanhOperator tanh = default;
        Vector256<float> cell = sigmoid.Invoke(i) * tanh.Invoke(g) + sigmoid.Invoke(f) * c;
        return (cell, sigmoid.Invoke(o) * tanh.Invoke(cell));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Vector512<float> Cell, Vector512<float> Hidden) Invoke(
        Vector512<float> i, Vector512<float> o, Vector512<float> f, Vector512<float> g, Vector512<float> c)
    {
        if (clip > 0)
        {
            var limit = new ClipOperator(clip);
            (i, o, f, g) = (limit.Invoke(i), limit.Invoke(o), limit.Invoke(f), limit.Invoke(g));
        }
        SigmoidOperator sigmoid = default;
        TanhOperator tanh = default;
        Vector512<float> cell = sigmoid.Invoke(i) * tanh.Invoke(g) + sigmoid.Invoke(f) * c;
        return (cell, sigmoid.Invoke(o) * tanh.Invoke(cell));
    }
}
