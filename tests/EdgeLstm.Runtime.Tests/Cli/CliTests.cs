using System.CommandLine;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Cli;

namespace EdgeLstm.Runtime.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgelstm-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static RecurrentModel TinyModel(bool withMetadata)
    {
        var w = new DirectionWeights(WeightMatrix.FromFloat(8, 2, Enumerable.Range(0, 16).Select(i => i / 16f).ToArray()),
            WeightMatrix.FromFloat(8, 2, new float[16]), new float[8], new float[8]);
        var layer = new RecurrentLayer(RecurrentKind.Lstm, RecurrentDirection.Forward, 2, 2, [w], RecurrentLayer.DefaultActivations(RecurrentKind.Lstm, 1));
        var head = new DenseLayer(WeightMatrix.FromFloat(3, 2, new float[6]), new float[3], ActivationKind.Softmax);
        ModelMetadata meta = withMetadata
            ? new ModelMetadata([new ChannelInfo("Pressure", "bar", 1f, 0.5f), new ChannelInfo("Current", "A", 2f, 0.25f)],
                OutputKind.Classifier, ["normal", "cavitation", "leak"], Name: "pump")
            : ModelMetadata.CreateDefault(2, 3, OutputKind.Classifier);
        return new RecurrentModel([layer], [head], HeadInput.LastStep, meta);
    }

    [Fact]
    public void Info_describes_layers_channels_outputs_and_id()
    {
        string path = Path.Combine(_directory, "pump.elstm");
        ModelFile.Save(TinyModel(withMetadata: true).Quantize(), path);
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, InfoCommand.Run(new FileInfo(path), output, new StringWriter()));
        string text = output.ToString();
        Assert.Contains(ModelFile.ComputeModelId(File.ReadAllBytes(path)), text);
        Assert.Contains("Int8", text);
        Assert.Contains("Lstm(2->2)", text);
        Assert.Contains("Pressure", text);
        Assert.Contains("bar", text);
        Assert.Contains("normal, cavitation, leak", text);
        Assert.DoesNotContain("none given", text);
    }

    [Fact]
    public void Info_says_when_no_metadata_was_given()
    {
        string path = Path.Combine(_directory, "bare.elstm");
        ModelFile.Save(TinyModel(withMetadata: false), path);
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, InfoCommand.Run(new FileInfo(path), output, new StringWriter()));
        Assert.Contains("metadata  none given: channels x0..x1, outputs y0..y2", output.ToString());
    }

    [Fact]
    public void Info_on_a_corrupt_or_missing_file_exits_2_with_one_line()
    {
        string path = Path.Combine(_directory, "corrupt.elstm");
        byte[] bytes = ModelFile.ToBytes(TinyModel(true));
        bytes[^3] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        var error = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, InfoCommand.Run(new FileInfo(path), new StringWriter(), error));
        Assert.Contains("CRC-32", error.ToString());
        Assert.Single(error.ToString().TrimEnd().Split('\n'));

        error = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, InfoCommand.Run(new FileInfo(Path.Combine(_directory, "missing.elstm")), new StringWriter(), error));
        Assert.Contains("cannot read model", error.ToString());
    }

    [Theory]
    [InlineData("'maybe'", "run --loop maybe")]
    [InlineData("--speed", "run --speed warp")]
    [InlineData("--duration", "run --duration soon")]
    [InlineData("--bogus", "run --bogus")]
    [InlineData("missing for command: 'info'", "info")]
    [InlineData("--config", "record --duration 5")]
    public void A_command_line_that_does_not_parse_exits_2_and_names_the_problem(string named, string commandLine)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = EdgeLstmCli.Invoke(commandLine.Split(' '), new InvocationConfiguration { Output = output, Error = error });
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(named, error.ToString());
        Assert.Contains("Usage:", output.ToString());
    }

    [Fact]
    public void Selftest_passes_and_prints_the_fingerprint()
    {
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, SelfTestCommand.Run(fingerprintOnly: false, output));
        Assert.DoesNotContain("FAIL", output.ToString());
        var fingerprint = new StringWriter();
        SelfTestCommand.Run(fingerprintOnly: true, fingerprint);
        Assert.Contains($"int8 fingerprint: {fingerprint.ToString().Trim()}", output.ToString());
    }
}
