using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>The vector width an element-wise loop uses; tests force each one.</summary>
internal enum VectorWidth
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

/// <summary>Which parts of a loop forced to a <see cref="VectorWidth"/> run.</summary>
internal static class VectorWidthExtensions
{
    /// <summary>
    /// Whether the 512-bit part runs. <see cref="Vector512.IsHardwareAccelerated"/> is a constant in a Native AOT build,
    /// so a build without 512-bit vectors compiles the part out: emulated on 128-bit registers, its temporaries gave the
    /// x86-64-v2 cell update an 8 KB stack frame zeroed on every call (docs/performance.md). A wider width than the CPU
    /// accelerates runs the narrower parts, with the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Runs512(this VectorWidth width) => Vector512.IsHardwareAccelerated && width == VectorWidth.Vector512;

    /// <summary>Whether the 256-bit part runs (see <see cref="Runs512"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Runs256(this VectorWidth width) => Vector256.IsHardwareAccelerated && width >= VectorWidth.Vector256;
}
