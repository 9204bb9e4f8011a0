using System.Runtime.InteropServices;
using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Diagnostics;

/// <summary>
/// Checks on the machine it runs on that every SIMD path the CPU offers gives the scalar path's results, and
/// computes a fingerprint of a fixed int8 model's predictions that must be identical on every machine (x64
/// or ARM64). Run on a board with <c>edgelstm selftest</c>; CI compares the fingerprint of the x64 build with
/// that of the ARM64 build under qemu.
/// </summary>
public static class KernelSelfTest
{
    private static readonly int[] Sizes = [1, 7, 16, 37, 100, 257];

    /// <summary>Runs every check.</summary>
    public static IReadOnlyList<SelfTestCheck> Run()
    {
        var checks = new List<SelfTestCheck>();
        foreach (Int8Path path in Int8Paths.Supported)
            checks.Add(CheckInt8Path(path));
        foreach (Int8Path path in Int8Paths.Supported)
            if (path != Int8Path.Scalar && FusedInt8Lstm.Implements(path)) checks.Add(CheckFusedLstmPath(path));
        foreach (FloatPath path in FloatPaths.Supported)
            checks.Add(CheckFloatPath(path));
        foreach (FloatPath path in FloatPaths.Supported)
            if (path != FloatPath.Scalar) checks.Add(CheckFusedFloatLstmPath(path));
        foreach (VectorWidth width in Enum.GetValues<VectorWidth>())
            if (width <= Elementwise.BestWidth) checks.Add(CheckElementwise(width));
        string fingerprint = Int8Fingerprint();
        checks.Add(new SelfTestCheck("int8 fingerprint", true, fingerprint));
        return checks;
    }

    /// <summary>Describes the CPU paths the engine uses here.</summary>
    public static string DescribePaths() =>
        $"{RuntimeInformation.ProcessArchitecture}: int8 {Int8MatVec.BestPath}, fused int8 LSTM {(FusedInt8Lstm.BestPath == Int8Path.Scalar ? "off" : FusedInt8Lstm.BestPath)}, float32 {FloatMatVec.BestPath}, fused float32 LSTM {FusedFloatLstm.BestPath}, element-wise {Elementwise.BestWidth}";

    /// <summary>
    /// A hex fingerprint (FNV-1a over the output bits) of 64 streamed steps of a fixed random int8 LSTM
    /// (8 inputs, 2 × 40 units, 4-class softmax) and a window of a fixed bidirectional int8 GRU. Equal
    /// fingerprints mean bit-identical int8 predictions.
    /// </summary>
    public static string Int8Fingerprint()
    {
        var random = new Random(20261128);
        RecurrentModel lstm = FixedModel(random, RecurrentKind.Lstm, RecurrentDirection.Forward, 40).Quantize();
        RecurrentModel gru = FixedModel(random, RecurrentKind.Gru, RecurrentDirection.Bidirectional, 24).Quantize();
        ulong hash = 14695981039346656037;
        var output = new float[4];
        var predictor = new Predictor(lstm);
        float[] window = Values(random, 64 * 8, 2f);
        for (int t = 0; t < 64; t++)
        {
            predictor.Step(window.AsSpan(t * 8, 8), output);
            hash = Mix(hash, output);
        }
        new Predictor(gru, 64).RunWindow(window, output);
        hash = Mix(hash, output);
        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ulong Mix(ulong hash, ReadOnlySpan<float> values)
    {
        foreach (byte b in MemoryMarshal.AsBytes(values))
            hash = (hash ^ b) * 1099511628211;
        return hash;
    }

    private static SelfTestCheck CheckInt8Path(Int8Path path)
    {
        var random = new Random(1);
        foreach (int rows in Sizes)
        {
            foreach (int columns in Sizes)
            {
                int stride = columns + 3;
                var matrix = new sbyte[rows * stride];
                var vector = new sbyte[columns];
                for (int i = 0; i < matrix.Length; i++) matrix[i] = (sbyte)random.Next(-127, 128);
                for (int i = 0; i < vector.Length; i++) vector[i] = (sbyte)random.Next(-127, 128);
                var biased = new byte[columns];
                for (int i = 0; i < columns; i++) biased[i] = (byte)(vector[i] + 128);
                var rowSums = new int[rows];
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < columns; c++) rowSums[r] += 128 * matrix[r * stride + c];
                var expected = new int[rows];
                var actual = new int[rows];
                Int8MatVec.MultiplyScalar(matrix, rows, columns, stride, vector, expected);
                Int8MatVec.Multiply(path, matrix, rows, columns, stride, vector, biased, rowSums, actual);
                for (int r = 0; r < rows; r++)
                {
                    if (expected[r] != actual[r])
                        return new SelfTestCheck($"int8 matvec {path}", false, $"{rows}x{columns} row {r}: {actual[r]}, scalar {expected[r]}");
                }
            }
        }

        return new SelfTestCheck($"int8 matvec {path}", true, $"equals scalar on {Sizes.Length * Sizes.Length} shapes");
    }

    private static SelfTestCheck CheckFusedLstmPath(Int8Path path)
    {
        var random = new Random(4);
        foreach ((int input, int hidden) in new[] { (8, 3), (5, 13), (40, 40), (8, 64) })
        {
            var lstm = new PackedInt8Lstm(
                WeightMatrix.FromFloat(4 * hidden, input, Values(random, 4 * hidden * input, 1f)).Quantize(),
                WeightMatrix.FromFloat(4 * hidden, hidden, Values(random, 4 * hidden * hidden, 1f)).Quantize(),
                Values(random, 4 * hidden, 0.5f), hidden, clip: 0);
            const int Steps = 3;
            var inputs = new sbyte[Steps * lstm.InputStride];
            var inputsBiased = new byte[inputs.Length];
            var hiddenVector = new sbyte[lstm.HiddenStride];
            var hiddenBiased = new byte[hiddenVector.Length];
            for (int t = 0; t < Steps; t++)
                for (int i = 0; i < input; i++) inputs[t * lstm.InputStride + i] = (sbyte)random.Next(-127, 128);
            for (int i = 0; i < hidden; i++) hiddenVector[i] = (sbyte)random.Next(-127, 128);
            for (int i = 0; i < inputs.Length; i++) inputsBiased[i] = (byte)(inputs[i] + 128);
            for (int i = 0; i < hiddenVector.Length; i++) hiddenBiased[i] = (byte)(hiddenVector[i] + 128);
            float[] scales = [0.01f, 0.02f, 0.03f];
            var expected = new float[Steps * lstm.ProjectionLength];
            var actual = new float[expected.Length];
            FusedInt8Lstm.ProjectInputs(Int8Path.Scalar, lstm, inputs, inputsBiased, scales, Steps, expected);
            FusedInt8Lstm.ProjectInputs(path, lstm, inputs, inputsBiased, scales, Steps, actual);
            if (!expected.AsSpan().SequenceEqual(actual))
                return new SelfTestCheck($"fused int8 LSTM {path}", false, $"I={input} H={hidden}: input projection differs from scalar");
            float[] cell = Values(random, hidden, 1f), expectedH = new float[hidden], actualH = new float[hidden];
            float[] expectedC = (float[])cell.Clone(), actualC = (float[])cell.Clone();
            float[] gates = expected.AsSpan(0, lstm.ProjectionLength).ToArray();
            FusedInt8Lstm.Recur(Int8Path.Scalar, lstm, expected, hiddenVector, hiddenBiased, 0.01f, expectedH, expectedC);
            FusedInt8Lstm.Recur(path, lstm, gates, hiddenVector, hiddenBiased, 0.01f, actualH, actualC);
            if (!expectedH.AsSpan().SequenceEqual(actualH) || !expectedC.AsSpan().SequenceEqual(actualC))
                return new SelfTestCheck($"fused int8 LSTM {path}", false, $"I={input} H={hidden}: state update differs from scalar");
        }
        return new SelfTestCheck($"fused int8 LSTM {path}", true, "bit-identical to scalar on 4 shapes");
    }

    private static SelfTestCheck CheckFusedFloatLstmPath(FloatPath path)
    {
        var random = new Random(5);
        foreach ((int input, int hidden) in new[] { (8, 3), (5, 13), (40, 40) })
        {
            var lstm = new PackedFloatLstm(WeightMatrix.FromFloat(4 * hidden, input, Values(random, 4 * hidden * input, 1f)),
                WeightMatrix.FromFloat(4 * hidden, hidden, Values(random, 4 * hidden * hidden, 1f)), Values(random, 4 * hidden, 0.5f), hidden, clip: 0);
            float[] inputs = Values(random, 3 * input, 2f), state = Values(random, hidden, 1f);
            var expected = new float[3 * lstm.ProjectionLength];
            var actual = new float[expected.Length];
            FusedFloatLstm.ProjectInputs(FloatPath.Scalar, lstm, inputs, 3, expected);
            FusedFloatLstm.ProjectInputs(path, lstm, inputs, 3, actual);
            float[] expectedH = (float[])state.Clone(), expectedC = (float[])state.Clone(), actualH = (float[])state.Clone(), actualC = (float[])state.Clone();
            FusedFloatLstm.Recur(FloatPath.Scalar, lstm, expected.AsSpan(0, lstm.ProjectionLength), expectedH, expectedC);
            FusedFloatLstm.Recur(path, lstm, actual.AsSpan(0, lstm.ProjectionLength), actualH, actualC);
            float tolerance = 1e-5f * Math.Max(input, hidden);
            for (int i = 0; i < hidden; i++)
            {
                if (!(Math.Abs(expectedH[i] - actualH[i]) <= tolerance && Math.Abs(expectedC[i] - actualC[i]) <= tolerance))
                    return new SelfTestCheck($"fused float32 LSTM {path}", false, $"I={input} H={hidden} unit {i}: h {actualH[i]}, scalar {expectedH[i]}");
            }
        }
        return new SelfTestCheck($"fused float32 LSTM {path}", true, "agrees with scalar to rounding");
    }

    private static SelfTestCheck CheckFloatPath(FloatPath path)
    {
        var random = new Random(2);
        foreach (int rows in Sizes)
        {
            foreach (int columns in Sizes)
            {
                float[] matrix = Values(random, rows * columns, 1f);
                float[] vector = Values(random, columns, 1f);
                var expected = new float[rows];
                var actual = new float[rows];
                FloatMatVec.MultiplyScalar(matrix, rows, columns, columns, vector, expected);
                FloatMatVec.Multiply(path, matrix, rows, columns, columns, vector, actual);
                for (int r = 0; r < rows; r++)
                {
                    if (!(Math.Abs(expected[r] - actual[r]) <= 1e-5f * Math.Max(1, columns)))
                        return new SelfTestCheck($"float32 matvec {path}", false, $"{rows}x{columns} row {r}: {actual[r]}, scalar {expected[r]}");
                }
            }
        }

        return new SelfTestCheck($"float32 matvec {path}", true, "agrees with scalar to rounding");
    }

    private static SelfTestCheck CheckElementwise(VectorWidth width)
    {
        float[] x = Values(new Random(3), 259, 12f);
        var expected = new float[x.Length];
        var actual = new float[x.Length];
        string? failure = Compare(default(SigmoidOperator), "sigmoid") ?? Compare(default(TanhOperator), "tanh") ?? Compare(default(ExpOperator), "exp");
        if (failure is null)
        {
            var q0 = new sbyte[x.Length]; var b0 = new byte[x.Length];
            var q1 = new sbyte[x.Length]; var b1 = new byte[x.Length];
            float s0 = Elementwise.Quantize(x, q0, b0, VectorWidth.Scalar), s1 = Elementwise.Quantize(x, q1, b1, width);
            if (s0 != s1 || !q0.AsSpan().SequenceEqual(q1)) failure = "quantize differs from scalar";
        }
        return new SelfTestCheck($"element-wise {width}", failure is null, failure ?? "bit-identical to scalar");

        string? Compare<TOp>(TOp op, string name) where TOp : struct, IUnaryOperator
        {
            Elementwise.Apply(op, x, expected, VectorWidth.Scalar);
            Elementwise.Apply(op, x, actual, width);
            for (int i = 0; i < x.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                    return $"{name}({x[i]}) = {actual[i]}, scalar {expected[i]}";
            }

            return null;
        }
    }

    private static RecurrentModel FixedModel(Random random, RecurrentKind kind, RecurrentDirection direction, int hidden)
    {
        int gates = kind == RecurrentKind.Lstm ? 4 : 3, dirs = direction == RecurrentDirection.Bidirectional ? 2 : 1;
        var layers = new List<RecurrentLayer>();
        int input = 8;
        for (int l = 0; l < 2; l++)
        {
            var weights = new DirectionWeights[dirs];
            for (int d = 0; d < dirs; d++)
            {
                weights[d] = new DirectionWeights(
                    WeightMatrix.FromFloat(gates * hidden, input, Values(random, gates * hidden * input, 0.4f)),
                    WeightMatrix.FromFloat(gates * hidden, hidden, Values(random, gates * hidden * hidden, 0.3f)),
                    Values(random, gates * hidden, 0.2f), Values(random, gates * hidden, 0.2f));
            }

            layers.Add(new RecurrentLayer(kind, direction, input, hidden, weights, RecurrentLayer.DefaultActivations(kind, dirs),
                LinearBeforeReset: kind == RecurrentKind.Gru));
            input = hidden * dirs;
        }
        var head = new DenseLayer(WeightMatrix.FromFloat(4, input, Values(random, 4 * input, 0.3f)), Values(random, 4, 0.1f), ActivationKind.Softmax);
        var metadata = ModelMetadata.CreateDefault(8, 4, OutputKind.Classifier) with
        {
            Mode = dirs == 1 ? ExecutionMode.Streaming : ExecutionMode.Windowed,
            WindowLength = 64,
        };
        return new RecurrentModel(layers, [head], HeadInput.LastStep, metadata);
    }

    private static float[] Values(Random random, int count, float scale)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return values;
    }
}
