using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// The one list of int8 paths this CPU runs. <see cref="Int8MatVec"/> and <see cref="FusedInt8Lstm"/> take their best
/// path from it and the self-test checks every path on it, so the kernels cannot disagree about what a CPU supports.
/// </summary>
internal static class Int8Paths
{
    /// <summary>The paths this CPU runs, fastest first; <see cref="Int8Path.Scalar"/> is always last.</summary>
    public static IReadOnlyList<Int8Path> Supported { get; } = [.. Detect()];

    private static IEnumerable<Int8Path> Detect()
    {
        if (Dp.IsSupported && AdvSimd.Arm64.IsSupported) yield return Int8Path.ArmDotProduct;
        // .NET has no AdvSimd on 32-bit ARM, so AdvSimd.Arm64 (which the fused kernel's addp needs) is every CPU with NEON.
        if (AdvSimd.Arm64.IsSupported) yield return Int8Path.ArmAdvSimd;
        if (AvxVnni.IsSupported) yield return Int8Path.AvxVnni;
        if (Avx2.IsSupported) yield return Int8Path.Avx2;
        // Every x86-64-v2 CPU: the default x64 build's path.
        if (Ssse3.IsSupported) yield return Int8Path.Ssse3;
        if (Vector128.IsHardwareAccelerated) yield return Int8Path.Vector128;
        yield return Int8Path.Scalar;
    }
}
