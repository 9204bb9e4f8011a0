using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>The identity, for an LSTM whose h activation is none.</summary>
internal readonly struct IdentityOperator : IUnaryOperator
{
    public float Invoke(float x) => x;
    public Vector128<float> Invoke(Vector128<float> x) => x;
    public Vector256<float> Invoke(Vector256<float> x) => x;
    public Vector512<float> Invoke(Vector512<float> x) => x;
}
