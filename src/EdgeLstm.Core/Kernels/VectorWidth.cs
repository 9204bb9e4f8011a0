namespace EdgeLstm.Core.Kernels;

/// <summary>The vector width an element-wise loop uses; tests force each one.</summary>
internal enum VectorWidth
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}
