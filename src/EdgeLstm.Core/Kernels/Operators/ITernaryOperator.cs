using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>A lane-wise function of three floats.</summary>
internal interface ITernaryOperator
{
    float Invoke(float x, float y, float z);
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z);
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z);
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z);
}
