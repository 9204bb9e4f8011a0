namespace EdgeLstm.Core.Kernels;

/// <summary>
/// The int8 LSTM step over <see cref="PackedInt8Lstm"/> weights, in two parts:
/// <see cref="ProjectInputs"/> computes W·xₜ (dequantized) for any number of time steps at once, reusing each
/// weight load across two steps; <see cref="Recur"/> then advances (h, c) by one step: one pass per block of
/// eight units adds R·h (four gates at once, dequantized) and the bias, and one more applies the activations
/// and the cell update. Every path computes the same integers and then the same float operations in the
/// same order as the general cell's separate passes, so all paths (and the general cell) agree to the bit.
/// </summary>
/// <remarks>
/// This file holds the dispatch and the scalar reference; each path is a partial file named after its
/// <see cref="Int8Path"/> (<c>FusedInt8Lstm.AvxVnni.cs</c>, <c>.Avx2.cs</c>, <c>.Ssse3.cs</c>, <c>.ArmDotProduct.cs</c>,
/// <c>.ArmAdvSimd.cs</c>), with the block loops the paths share by vector width in <c>FusedInt8Lstm.Blocks256.cs</c>
/// (AVX-VNNI, AVX2) and <c>FusedInt8Lstm.Blocks128.cs</c> (SSSE3 and both ARM64 paths).
/// </remarks>
internal static partial class FusedInt8Lstm
{
    /// <summary>
    /// True for the paths this kernel has: every one but <see cref="Int8Path.Vector128"/> (portable vectors have no
    /// fast int8 dot product; every x64 CPU that runs .NET's x86-64-v2 baseline has SSSE3, every ARM64 one NEON).
    /// </summary>
    public static bool Implements(Int8Path path) => path != Int8Path.Vector128;

    /// <summary>The first of <see cref="Int8Paths.Supported"/> this kernel implements (<see cref="Int8Path.Scalar"/> only on a CPU with no SIMD path).</summary>
    public static Int8Path BestPath { get; } = Int8Paths.Supported.First(Implements);

    /// <summary>
    /// projection[t] = W·xₜ · (rowScale · scales[t]) for t in [0, steps): <paramref name="inputs"/> holds
    /// the quantized steps, <see cref="PackedInt8Lstm.InputStride"/> bytes each (zero past I), and
    /// <paramref name="biased"/> the same plus 128 (read by the VNNI path only).
    /// </summary>
    public static void ProjectInputs(Int8Path path, PackedInt8Lstm lstm, ReadOnlySpan<sbyte> inputs, ReadOnlySpan<byte> biased,
        ReadOnlySpan<float> scales, int steps, Span<float> projection)
    {
        if (steps < 0 || inputs.Length < steps * lstm.InputStride || biased.Length < steps * lstm.InputStride ||
            scales.Length < steps || projection.Length < steps * lstm.ProjectionLength)
        {
            throw new ArgumentException("inputs, scales and projection disagree with the step count");
        }

        switch (path)
        {
            case Int8Path.AvxVnni: ProjectInputsX64<AvxVnniKernel>(lstm, inputs, biased, scales, steps, projection); break;
            case Int8Path.Avx2: ProjectInputsX64<Avx2Kernel>(lstm, inputs, biased, scales, steps, projection); break;
            case Int8Path.Ssse3: ProjectInputs128<Ssse3Kernel>(lstm, inputs, scales, steps, projection); break;
            case Int8Path.ArmDotProduct: ProjectInputs128<ArmDotProductKernel>(lstm, inputs, scales, steps, projection); break;
            case Int8Path.ArmAdvSimd: ProjectInputs128<ArmAdvSimdKernel>(lstm, inputs, scales, steps, projection); break;
            case Int8Path.Scalar: ProjectInputsScalar(lstm, inputs, scales, steps, projection); break;
            default: throw new ArgumentException($"the fused int8 LSTM has no {path} path", nameof(path));
        }
    }

    /// <summary>
    /// Advances (h, c) by one step. <paramref name="gates"/> holds W·x for this step and is overwritten with the
    /// gate pre-activations (W·x + R·h) + bias; then the cell update runs over all blocks in a second, tight pass
    /// (apart from the dot products, the blocks' long activation chains overlap in the CPU).
    /// <paramref name="hidden"/>/<paramref name="hiddenBiased"/> hold the previous h quantized with
    /// <paramref name="hiddenScale"/> (<see cref="PackedInt8Lstm.HiddenStride"/> bytes, zero past H); h and c
    /// (H values each) are overwritten. <paramref name="backwards"/> walks R's blocks last to first (same results):
    /// alternating it from step to step over a sequence starts each step on the blocks the previous one left in L1.
    /// </summary>
    public static void Recur(Int8Path path, PackedInt8Lstm lstm, Span<float> gates, ReadOnlySpan<sbyte> hidden,
        ReadOnlySpan<byte> hiddenBiased, float hiddenScale, Span<float> h, Span<float> c, bool backwards = false)
    {
        if (gates.Length < lstm.ProjectionLength || hidden.Length < lstm.HiddenStride ||
            hiddenBiased.Length < lstm.HiddenStride || h.Length < lstm.Hidden || c.Length < lstm.Hidden)
        {
            throw new ArgumentException("gates, hidden vector and state disagree with the layer");
        }

        switch (path)
        {
            case Int8Path.AvxVnni:
                AddRecurrenceX64<AvxVnniKernel>(lstm, gates, hidden, hiddenBiased, hiddenScale, backwards);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, Elementwise.BestWidth);
                break;
            case Int8Path.Avx2:
                AddRecurrenceX64<Avx2Kernel>(lstm, gates, hidden, hiddenBiased, hiddenScale, backwards);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, Elementwise.BestWidth);
                break;
            case Int8Path.Ssse3:
                // 128-bit like the CPUs this path is for (x86-64-v2), whatever this one has: the same bits at any width.
                AddRecurrence128<Ssse3Kernel>(lstm, gates, hidden, hiddenScale, backwards);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, VectorWidth.Vector128);
                break;
            case Int8Path.ArmDotProduct:
                AddRecurrence128<ArmDotProductKernel>(lstm, gates, hidden, hiddenScale, backwards);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, VectorWidth.Vector128);
                break;
            case Int8Path.ArmAdvSimd:
                AddRecurrence128<ArmAdvSimdKernel>(lstm, gates, hidden, hiddenScale, backwards);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, VectorWidth.Vector128);
                break;
            case Int8Path.Scalar:
                AddRecurrenceScalar(lstm, gates, hidden, hiddenScale);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, VectorWidth.Scalar);
                break;
            default: throw new ArgumentException($"the fused int8 LSTM has no {path} path", nameof(path));
        }
    }

    // ---- Scalar: the reference, read straight from the packed layout. ----

    public static void ProjectInputsScalar(PackedInt8Lstm lstm, ReadOnlySpan<sbyte> inputs, ReadOnlySpan<float> scales, int steps, Span<float> projection)
    {
        int quads = lstm.InputStride / 4;
        for (int t = 0; t < steps; t++)
        {
            ReadOnlySpan<sbyte> x = inputs.Slice(t * lstm.InputStride, lstm.InputStride);
            Span<float> destination = projection.Slice(t * lstm.ProjectionLength, lstm.ProjectionLength);
            for (int row = 0; row < lstm.ProjectionLength; row++)
            {
                int acc = Dot(lstm.W, row, quads, x);
                destination[row] = acc * (lstm.WScales[row] * scales[t]);
            }
        }
    }

    public static void AddRecurrenceScalar(PackedInt8Lstm lstm, Span<float> gates, ReadOnlySpan<sbyte> hidden, float hiddenScale)
    {
        int quads = lstm.HiddenStride / 4;
        for (int row = 0; row < lstm.ProjectionLength; row++)
        {
            float recurrent = Dot(lstm.R, row, quads, hidden) * (lstm.RScales[row] * hiddenScale);
            gates[row] = gates[row] + recurrent + lstm.Bias[row];
        }
    }

    /// <summary>Σ over columns of one packed row (index in [block][gate][unit] order) times x.</summary>
    private static int Dot(sbyte[] packed, int row, int quads, ReadOnlySpan<sbyte> x)
    {
        int block = row / PackedInt8Lstm.BlockRows, gateLane = row % PackedInt8Lstm.BlockRows;
        int acc = 0;
        for (int q = 0; q < quads; q++)
        {
            int offset = (block * quads + q) * PackedInt8Lstm.QuadBytes + gateLane * 4;
            for (int i = 0; i < 4; i++) acc += packed[offset + i] * x[4 * q + i];
        }
        return acc;
    }
}
