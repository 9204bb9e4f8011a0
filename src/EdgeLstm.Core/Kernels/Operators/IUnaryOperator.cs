using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>A lane-wise function of one float, written once for scalars and each vector width.</summary>
internal interface IUnaryOperator
{
    float Invoke(float x);
    Vector128<float> Invoke(Vector128<float> x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector512<float> Invoke(Vector512<float> x);
}
