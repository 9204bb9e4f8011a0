using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>1 − x.</summary>
internal readonly struct OneMinusOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f - x;
    public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One - x;
    public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One - x;
    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One - x;
}
