using System.Security.Cryptography;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Signing;
using EdgeLstm.Runtime.Cli;

namespace EdgeLstm.Runtime.Tests.Cli;

/// <summary>
/// Only trusted models run: with keys pinned (<c>trust.modelKeys</c> or <c>--trusted-key</c>), an unsigned model, one signed
/// by another key, or one changed after signing is refused at start, exit 2, one line naming the reason; at validate too.
/// </summary>
public sealed class TrustedModelTests : IDisposable
{
    private readonly TestBoard _board = new();
    private readonly ECDsa _key = SigningKeys.Generate();
    private readonly string _publicKey;

    public TrustedModelTests()
    {
        _publicKey = Path.Combine(_board.Directory, "fleet-key.pem");
        File.WriteAllText(_publicKey, SigningKeys.PublicPem(_key));
    }

    public void Dispose()
    {
        _key.Dispose();
        _board.Dispose();
    }

    private (int Exit, string Log) Run(params string[] trustedKeys)
    {
        var log = new StringWriter();
        int exit = RunCommand.Run(new RunOptions(_board.ConfigPath, null, TimeSpan.FromSeconds(1), null, OutputFormat.Text, TrustedKeys: trustedKeys), Stream.Null, log, default);
        return (exit, log.ToString());
    }

    private void SignModel(ECDsa key) => File.WriteAllBytes(_board.ModelPath, ModelSignature.Sign(File.ReadAllBytes(_board.ModelPath), key));

    private void PinInConfig(string keys)
    {
        string text = File.ReadAllText(_board.ConfigPath);
        File.WriteAllText(_board.ConfigPath, text.Replace("\"health\":", $"\"trust\": {{ \"modelKeys\": {keys} }},\n  \"health\":", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_signed_by_a_pinned_key_runs()
    {
        SignModel(_key);
        (int exit, string log) = Run(_publicKey);
        Assert.True(exit == ExitCodes.Success, log);
    }

    [Fact]
    public void An_unsigned_model_is_refused_when_a_key_is_pinned()
    {
        (int exit, string log) = Run(_publicKey);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"model '{_board.ModelPath}' is refused: the model is not signed", log);
    }

    [Fact]
    public void A_model_signed_by_another_key_is_refused()
    {
        using ECDsa other = SigningKeys.Generate();
        SignModel(other);
        (int exit, string log) = Run(_publicKey);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"signed with key {KeyId.Of(other)}, which this board does not trust", log);
    }

    [Fact]
    public void A_model_changed_after_signing_is_refused()
    {
        SignModel(_key);
        byte[] bytes = File.ReadAllBytes(_board.ModelPath);
        bytes[ModelFile.HeaderSize + 12] ^= 0x40;
        File.WriteAllBytes(_board.ModelPath, bytes);
        (int exit, string log) = Run(_publicKey);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("changed after signing", log);
    }

    [Fact]
    public void Keys_pinned_in_the_config_are_relative_to_it_and_rotate_as_a_list()
    {
        using ECDsa next = SigningKeys.Generate();
        File.WriteAllText(Path.Combine(_board.Directory, "next-key.pem"), SigningKeys.PublicPem(next));
        PinInConfig("""[ "fleet-key.pem", "next-key.pem" ]""");
        SignModel(next);
        Assert.Equal(ExitCodes.Success, Run().Exit);
        SignModel(_key);
        Assert.Equal(ExitCodes.Success, Run().Exit);
        File.WriteAllBytes(_board.ModelPath, ModelSignature.SignedPart(File.ReadAllBytes(_board.ModelPath)).ToArray()); // the flag stays set: no longer a model
        Assert.Equal(ExitCodes.BadInput, Run().Exit);
    }

    [Fact]
    public void A_pinned_key_that_cannot_be_read_is_refused_naming_its_place()
    {
        PinInConfig("""[ "missing.pem" ]""");
        (int exit, string log) = Run();
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("trust.modelKeys[0]: ", log);
        Assert.Contains("missing.pem: no such key file", log);
    }

    [Fact]
    public void An_empty_key_path_in_the_config_is_a_config_problem()
    {
        PinInConfig("""[ "" ]""");
        (int exit, string log) = Run();
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("$.trust.modelKeys[0]", log);
    }

    [Fact]
    public void Validate_refuses_what_run_refuses()
    {
        PinInConfig("""[ "fleet-key.pem" ]""");
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, ValidateCommand.Run(_board.ConfigPath, null, output, error));
        Assert.Contains("the model is not signed", error.ToString() + output);
    }

    [Fact]
    public void Info_shows_whether_and_by_which_key_a_model_is_signed()
    {
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, InfoCommand.Run(new FileInfo(_board.ModelPath), output, TextWriter.Null));
        Assert.Contains("signed    no", output.ToString());
        SignModel(_key);
        output = new StringWriter();
        Assert.Equal(ExitCodes.Success, InfoCommand.Run(new FileInfo(_board.ModelPath), output, TextWriter.Null));
        Assert.Contains($"signed    yes, by key {KeyId.Of(_key)}", output.ToString());
    }
}
