using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>Clamps to [-limit, limit] (ONNX <c>clip</c>).</summary>
internal readonly struct ClipOperator(float limit) : IUnaryOperator
{
    public float Invoke(float x) => MathF.Min(MathF.Max(x, -limit), limit);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Min(Vector128.Max(x, Vector128.Create(-limit)), Vector128.Create(limit));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256.Create(-limit)), Vector256.Create(limit));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Vector512.Max(x, Vector512.Create(-limit)), Vector512.Create(limit));
}
