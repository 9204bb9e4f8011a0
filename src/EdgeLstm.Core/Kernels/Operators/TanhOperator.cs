using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>tanh(x) = 1 − 2 / (e^{2x} + 1); absolute error ≈ 1e-7, saturates cleanly to ±1.</summary>
internal readonly struct TanhOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f - 2f / (default(ExpOperator).Invoke(x + x) + 1f);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128<float>.One - Vector128.Create(2f) / (default(ExpOperator).Invoke(x + x) + Vector128<float>.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256<float>.One - Vector256.Create(2f) / (default(ExpOperator).Invoke(x + x) + Vector256<float>.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512<float>.One - Vector512.Create(2f) / (default(ExpOperator).Invoke(x + x) + Vector512<float>.One);
}
