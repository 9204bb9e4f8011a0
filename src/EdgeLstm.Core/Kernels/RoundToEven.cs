using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

/// <summary>Lane-wise rounding to the nearest integer, ties to even (as <see cref="MathF.Round(float)"/>).</summary>
internal static class RoundToEven
{
    /// <summary>
    /// <c>roundps</c> on x64. <see cref="Vector128.Round(Vector128{float})"/> gives the same bits, but the default x64
    /// Native AOT build (x86-64-v2, which includes SSE4.1) compiled it to four calls to <see cref="MathF.Round(float)"/>
    /// through memory: a third of the demo board's CPU in a profile (docs/performance.md).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Round(Vector128<float> x) => Sse41.IsSupported ? Sse41.RoundToNearestInteger(x) : Vector128.Round(x);
}
