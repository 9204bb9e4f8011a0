using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Signing;

namespace EdgeLstm.Convert.Tests;

/// <summary><c>edgelstm-convert keygen</c> and <c>sign</c>, and <c>info</c> on a signed model.</summary>
public sealed class SigningCliTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Model()
    {
        string output = _cli.PathOf("m.elstm");
        Assert.Equal(0, CliHarness.Run("convert", Path.Combine(FixturePaths.Torch("lstm1_classifier"), "model.onnx"), "-o", output).Code);
        return output;
    }

    [Fact]
    public void Keygen_then_sign_makes_a_model_that_verifies_with_the_public_key()
    {
        string keys = _cli.PathOf("keys");
        (int code, string stdout, string stderr) = CliHarness.Run("keygen", "-o", keys);
        Assert.True(code == 0, stderr);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, "private.pem")));
        string model = Model();
        string id = ModelFile.ComputeModelId(File.ReadAllBytes(model));
        (code, stdout, stderr) = CliHarness.Run("sign", model, "--key", Path.Combine(keys, "private.pem"));
        Assert.True(code == 0, stderr);
        byte[] signed = File.ReadAllBytes(model);
        using TrustedKeys trusted = TrustedKeys.Load([Path.Combine(keys, "public.pem")]);
        ModelSignature.Verify(signed, trusted);
        Assert.Contains($"with key {trusted.Ids.Single()}", stdout);
        Assert.NotEqual(id, ModelFile.ComputeModelId(signed)); // the signed flag is in the header the id hashes

        (code, stdout, _) = CliHarness.Run("info", model);
        Assert.Equal(0, code);
        Assert.Contains($"yes, by key {trusted.Ids.Single()}", stdout);
    }

    [Fact]
    public void Keygen_never_replaces_a_key()
    {
        string keys = _cli.PathOf("keys");
        Assert.Equal(0, CliHarness.Run("keygen", "-o", keys).Code);
        string before = File.ReadAllText(Path.Combine(keys, "private.pem"));
        (int code, _, string stderr) = CliHarness.Run("keygen", "-o", keys);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("never replaces a key", stderr);
        Assert.Equal(before, File.ReadAllText(Path.Combine(keys, "private.pem")));
    }

    [Fact]
    public void Sign_with_a_public_key_or_a_damaged_model_exits_2_and_leaves_the_model_alone()
    {
        string keys = _cli.PathOf("keys");
        Assert.Equal(0, CliHarness.Run("keygen", "-o", keys).Code);
        string model = Model();
        byte[] before = File.ReadAllBytes(model);
        (int code, _, string stderr) = CliHarness.Run("sign", model, "--key", Path.Combine(keys, "public.pem"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("signing needs the private key", stderr);
        Assert.Equal(before, File.ReadAllBytes(model));

        File.WriteAllBytes(model, before[..^3]);
        (code, _, stderr) = CliHarness.Run("sign", model, "--key", Path.Combine(keys, "private.pem"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("truncated", stderr);
    }
}
