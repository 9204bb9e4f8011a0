using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// The one list of float32 paths this CPU runs: <see cref="FloatMatVec"/> and <see cref="FusedFloatLstm"/> take their
/// best path from it and the self-test checks every path on it.
/// </summary>
internal static class FloatPaths
{
    /// <summary>The paths this CPU runs, fastest first; <see cref="FloatPath.Scalar"/> is always last.</summary>
    public static IReadOnlyList<FloatPath> Supported { get; } = [.. Detect()];

    private static IEnumerable<FloatPath> Detect()
    {
        if (Vector256.IsHardwareAccelerated) yield return FloatPath.Vector256;
        if (Vector128.IsHardwareAccelerated) yield return FloatPath.Vector128;
        yield return FloatPath.Scalar;
    }
}
