namespace EdgeLstm.Core.Kernels;

/// <summary>
/// An implementation of the int8 kernels (<see cref="Int8MatVec"/>, <see cref="FusedInt8Lstm"/>), by instruction set.
/// Which of them this CPU runs is <see cref="Int8Paths.Supported"/>.
/// </summary>
internal enum Int8Path
{
    /// <summary>Plain C#: the reference every other path is tested against.</summary>
    Scalar,

    /// <summary>Portable 128-bit vectors (widen, multiply, widen); <see cref="Int8MatVec"/> only, below SSSE3 and NEON.</summary>
    Vector128,

    /// <summary>x64 AVX2 (x86-64-v3): <c>vpsignb</c> + <c>vpmaddubsw</c> + <c>vpmaddwd</c>, 256-bit.</summary>
    Avx2,

    /// <summary>x64 SSSE3 (part of the x86-64-v2 baseline): <c>psignb</c> + <c>pmaddubsw</c> + <c>pmaddwd</c>, 128-bit.</summary>
    Ssse3,

    /// <summary>x64 AVX-VNNI: <c>vpdpbusd</c>, unsigned × signed bytes.</summary>
    AvxVnni,

    /// <summary>ARM64 NEON: <c>smull</c> + <c>smlal2</c> (two products per int16 lane) + <c>sadalp</c> (Raspberry Pi 4).</summary>
    ArmAdvSimd,

    /// <summary>ARMv8.2 dot product: <c>sdot</c> (Raspberry Pi 5).</summary>
    ArmDotProduct,
}
