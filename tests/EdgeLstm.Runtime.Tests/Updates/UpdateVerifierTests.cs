using System.Security.Cryptography;
using EdgeLstm.Core.Format;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Updates;

namespace EdgeLstm.Runtime.Tests.Updates;

/// <summary>Every refusal of a remote update, one test each, before anything changes on the board.</summary>
public sealed class UpdateVerifierTests : IDisposable
{
    private readonly TestBoard _board = new();
    private readonly UpdateKit _kit;
    private readonly RuntimeSetup _setup;
    private ulong _accepted = 10;

    public UpdateVerifierTests()
    {
        _kit = new UpdateKit(_board);
        _setup = _kit.LoadSetup();
    }

    public void Dispose()
    {
        _kit.Dispose();
        _board.Dispose();
    }

    private UpdateVerifier Verifier() => new(_setup, () => _accepted, () => _setup.Rules, TimeProvider.System);

    private PreparedUpdate Verify(byte[] message) => Verifier().Verify(message);

    private string Refusal(byte[] message) => Verify(message).Refusal ?? throw new Xunit.Sdk.XunitException("the update was accepted");

    [Fact]
    public void A_signed_model_update_for_this_board_above_the_last_version_is_ready()
    {
        byte[] model = _kit.SignedModelBytes(UpdateKit.RetrainedModel());
        PreparedUpdate update = Verify(_kit.Seal(UpdateKit.ModelCommand(model, 11)));
        Assert.Null(update.Refusal);
        Assert.Equal(ModelFile.ComputeModelId(model), update.ModelId);
        Assert.NotEqual(_setup.ModelId, update.ModelId);
    }

    [Fact]
    public void A_thresholds_update_sets_the_named_alarm_and_stops_its_commissioning()
    {
        string alarm = _setup.Rules[0].Name;
        PreparedUpdate update = Verify(_kit.Seal(UpdateKit.ThresholdsCommand(11, new ThresholdUpdate(alarm, 0.8f, 0.6f))));
        Assert.Null(update.Refusal);
        AlarmRule rule = Assert.Single(update.Rules);
        Assert.Equal((0.8f, 0.6f, null), (rule.Threshold, rule.ClearThreshold, rule.Calibration));
    }

    [Fact]
    public void A_command_signed_by_another_key_is_refused()
    {
        using ECDsa forger = Core.Signing.SigningKeys.Generate();
        Assert.Contains("which this board does not trust", Refusal(_kit.Seal(UpdateKit.ModelCommand(_kit.SignedModelBytes(UpdateKit.RetrainedModel()), 11), forger)));
    }

    [Fact]
    public void A_command_changed_after_signing_is_refused()
    {
        byte[] message = _kit.Seal(UpdateKit.ThresholdsCommand(11, new ThresholdUpdate(_setup.Rules[0].Name, 0.8f, 0.6f)));
        message[20] ^= 0x04;
        Assert.Contains("does not match its bytes", Refusal(message));
    }

    [Fact]
    public void An_unsigned_command_is_refused()
    {
        byte[] body = UpdateCommandCodec.Encode(UpdateKit.ThresholdsCommand(11, new ThresholdUpdate(_setup.Rules[0].Name, 0.8f, 0.6f)));
        Assert.Contains("signature", Refusal(body));
    }

    [Fact]
    public void A_command_for_another_board_is_refused()
    {
        byte[] model = _kit.SignedModelBytes(UpdateKit.RetrainedModel());
        Assert.Contains("is for device 'pump-8', not this board", Refusal(_kit.Seal(UpdateKit.ModelCommand(model, 11, device: "pump-8"))));
    }

    [Theory]
    [InlineData(10ul)]
    [InlineData(3ul)]
    public void A_rollback_or_a_replay_is_refused(ulong version)
    {
        byte[] model = _kit.SignedModelBytes(UpdateKit.RetrainedModel());
        Assert.Contains($"version {version} is not above the last accepted version 10", Refusal(_kit.Seal(UpdateKit.ModelCommand(model, version))));
    }

    [Fact]
    public void An_expired_command_is_refused()
    {
        byte[] model = _kit.SignedModelBytes(UpdateKit.RetrainedModel());
        Assert.Contains("the update expired at", Refusal(_kit.Seal(UpdateKit.ModelCommand(model, 11, expiresIn: TimeSpan.FromMinutes(-1)))));
    }

    [Fact]
    public void A_model_without_its_own_signature_is_refused_even_in_a_signed_command()
    {
        byte[] unsigned = ModelFile.ToBytes(UpdateKit.RetrainedModel());
        Assert.Contains("the update's model file: the model is not signed", Refusal(_kit.Seal(UpdateKit.ModelCommand(unsigned, 11))));
    }

    [Fact]
    public void A_model_that_does_not_fit_the_board_is_refused()
    {
        var model = TestBoard.Model(["current", "vibration"], 100);
        Assert.Contains("does not fit this board", Refusal(_kit.Seal(UpdateKit.ModelCommand(_kit.SignedModelBytes(model), 11))));
    }

    [Fact]
    public void Thresholds_for_an_alarm_the_board_does_not_have_are_refused()
    {
        Assert.Contains("this board has no alarm 'bearing'", Refusal(_kit.Seal(UpdateKit.ThresholdsCommand(11, new ThresholdUpdate("bearing", 0.8f, 0.6f)))));
    }

    [Fact]
    public void A_board_that_pins_no_key_accepts_no_update()
    {
        RuntimeSetup open = RuntimeSetup.Load(_board.ConfigPath, null, new RunOverrides(DeviceId: UpdateKit.Device), out _)!;
        var verifier = new UpdateVerifier(open, () => 0, () => open.Rules, TimeProvider.System);
        Assert.Contains("pins no key", verifier.Verify(_kit.Seal(UpdateKit.ThresholdsCommand(11, new ThresholdUpdate(open.Rules[0].Name, 0.8f, 0.6f)))).Refusal);
    }
}
