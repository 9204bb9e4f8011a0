using System.Globalization;
using System.Text.RegularExpressions;
using EdgeLstm.Convert.Data;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Running;
using EdgeLstm.Core.Format;

namespace EdgeLstm.Convert.Tests;

/// <summary>predict writes every number in plain decimal notation that reads back as the same float.</summary>
public sealed partial class PlainNumberTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$")]
    private static partial Regex Plain();

    [Theory]
    [InlineData(4.14e-5f, "0.0000414")]
    [InlineData(0.0021f, "0.0021")]
    [InlineData(1e-5f, "0.00001")]
    [InlineData(-1.5e-7f, "-0.00000015")]
    [InlineData(0.25f, "0.25")]
    [InlineData(123.456f, "123.456")]
    [InlineData(1f, "1")]
    [InlineData(0f, "0")]
    [InlineData(1e15f, "1000000000000000")]
    [InlineData(1.2345678e20f, "123456780000000000000")]
    [InlineData(float.MaxValue, "340282350000000000000000000000000000000")]
    public void Writes_plain_decimals(float value, string expected) => Assert.Equal(expected, PlainNumber.Format(value));

    [Fact]
    public void The_smallest_float_keeps_its_one_digit() =>
        Assert.Equal("0." + new string('0', 44) + "1", PlainNumber.Format(float.Epsilon));

    [Fact]
    public void Every_finite_float_reads_back_bit_for_bit()
    {
        var random = new Random(12);
        var bytes = new byte[4];
        int tested = 0;
        while (tested < 200_000)
        {
            random.NextBytes(bytes);
            float v = BitConverter.ToSingle(bytes);
            if (!float.IsFinite(v)) continue;
            string text = PlainNumber.Format(v);
            Assert.Matches(Plain(), text);
            float back = float.Parse(text, CultureInfo.InvariantCulture);
            Assert.True(BitConverter.SingleToInt32Bits(back) == BitConverter.SingleToInt32Bits(v), $"{v:R} -> {text} -> {back:R}");
            tested++;
        }
    }

    /// <summary>
    /// lstm1_classifier with its dense weights scaled by 300: the softmax saturates, so some probabilities are far
    /// below 1e-5, which "R" writes with an exponent (1E-06).
    /// </summary>
    private string SharpClassifier()
    {
        var model = Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(FixturePaths.Torch("lstm1_classifier"), "model.onnx")));
        Onnx.Proto.TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "head.0.weight");
        float[] values = [.. TensorData.FromProto(weight, "test").Floats!.Select(v => v * 300)];
        weight.RawData = Google.Protobuf.ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        string path = _cli.PathOf("sharp.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model));
        return path;
    }

    private string RandomSteps(int steps)
    {
        var random = new Random(3);
        string path = _cli.PathOf("steps.csv");
        File.WriteAllLines(path, Enumerable.Range(0, steps).Select(_ => string.Join(',', Enumerable.Range(0, 5).Select(_ =>
            (random.NextDouble() * 4 - 2).ToString("R", CultureInfo.InvariantCulture)))));
        return path;
    }

    /// <summary>Every cell of <paramref name="output"/> is plain and reads back as exactly the expected float; some would have had an exponent.</summary>
    private static void AssertPlainAndExact(string output, float[][] expected)
    {
        Assert.Contains(expected.SelectMany(r => r), v => v.ToString("R", CultureInfo.InvariantCulture).Contains('E', StringComparison.Ordinal));
        string[][] cells = [.. File.ReadAllLines(output).Skip(1).Select(l => l.Split(','))];
        Assert.Equal(expected.Length, cells.Length);
        for (int t = 0; t < cells.Length; t++)
        {
            Assert.Equal(expected[t].Length, cells[t].Length);
            for (int k = 0; k < cells[t].Length; k++)
            {
                Assert.Matches(Plain(), cells[t][k]);
                Assert.Equal(expected[t][k], float.Parse(cells[t][k], CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void Predict_writes_tiny_probabilities_plainly_and_exactly()
    {
        string elstm = _cli.PathOf("m.elstm"), input = RandomSteps(20), output = _cli.PathOf("out.csv");
        Assert.Equal(0, CliHarness.Run("convert", SharpClassifier(), "-o", elstm, "--precision", "float32").Code);
        var (code, _, stderr) = CliHarness.Run("predict", "-m", elstm, "-i", input, "-o", output);
        Assert.True(code == 0, stderr);
        float[] x = CsvSequence.Load(input, ["a", "b", "c", "d", "e"]).Values;
        AssertPlainAndExact(output, new EngineScorer(ModelFile.Load(elstm)).ScorePrefixes(x, 20));
    }

    [Fact]
    public void Predict_on_the_onnx_file_writes_the_same_format()
    {
        string onnx = SharpClassifier(), input = RandomSteps(12), output = _cli.PathOf("out.csv");
        var (code, _, stderr) = CliHarness.Run("predict", "-m", onnx, "-i", input, "-o", output);
        Assert.True(code == 0, stderr);
        using var ort = new OnnxRuntimeScorer(onnx, GraphImporter.Import(onnx));
        float[] x = CsvSequence.Load(input, ["a", "b", "c", "d", "e"]).Values;
        AssertPlainAndExact(output, ort.ScorePrefixes(x, 12));
    }
}
