namespace EdgeLstm.Core.Kernels;

/// <summary>
/// An implementation of the float32 kernels (<see cref="FloatMatVec"/>, <see cref="FusedFloatLstm"/>), by vector width.
/// Which of them this CPU runs is <see cref="FloatPaths.Supported"/>.
/// </summary>
internal enum FloatPath
{
    /// <summary>Plain C#: the reference every other path is tested against.</summary>
    Scalar,

    /// <summary>128-bit vectors, fused multiply–add where the CPU has it.</summary>
    Vector128,

    /// <summary>256-bit vectors, fused multiply–add where the CPU has it.</summary>
    Vector256,
}
