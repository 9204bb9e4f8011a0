using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>(x + y) + z: the gate pre-activation from the input part, the recurrent part and the bias.</summary>
internal readonly struct AddAddOperator : ITernaryOperator
{
    public float Invoke(float x, float y, float z) => x + y + z;
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => x + y + z;
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => x + y + z;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => x + y + z;
}
