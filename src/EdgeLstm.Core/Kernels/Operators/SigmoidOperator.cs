using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>1 / (1 + e^-x).</summary>
internal readonly struct SigmoidOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f / (1f + default(ExpOperator).Invoke(-x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + default(ExpOperator).Invoke(-x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + default(ExpOperator).Invoke(-x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + default(ExpOperator).Invoke(-x));
}
