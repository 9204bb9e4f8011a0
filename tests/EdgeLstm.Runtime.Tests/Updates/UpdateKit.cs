using System.Security.Cryptography;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using EdgeLstm.Core.Signing;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;

namespace EdgeLstm.Runtime.Tests.Updates;

/// <summary>A fleet key pinned on a test board whose model it signed, and signed update commands for that board.</summary>
internal sealed class UpdateKit : IDisposable
{
    public const string Device = "pump-7";

    public UpdateKit(TestBoard board)
    {
        Board = board;
        PublicKeyPath = Path.Combine(board.Directory, "fleet.pem");
        File.WriteAllText(PublicKeyPath, SigningKeys.PublicPem(Key));
        File.WriteAllBytes(board.ModelPath, ModelSignature.Sign(File.ReadAllBytes(board.ModelPath), Key));
    }

    public TestBoard Board { get; }

    /// <summary>The board's setup as <c>edgelstm run --device-id pump-7 --trusted-key fleet.pem</c> loads it.</summary>
    public RuntimeSetup LoadSetup() =>
        RuntimeSetup.Load(Board.ConfigPath, null, new RunOverrides(DeviceId: Device, TrustedKeys: [PublicKeyPath]), out List<string> problems)
            ?? throw new InvalidOperationException(string.Join("; ", problems));

    public ECDsa Key { get; } = SigningKeys.Generate();

    public string PublicKeyPath { get; }

    /// <summary>The board's model with another head bias: same channels and outputs, another id.</summary>
    public static RecurrentModel RetrainedModel(float bias = 2.5f)
    {
        RecurrentModel model = TestBoard.Model(["current", "pressure"], 100);
        return model with { Head = [model.Head[0] with { Bias = [bias, -bias] }] };
    }

    /// <summary>A model that loads and fits the board but whose outputs overflow to non-finite values.</summary>
    public static RecurrentModel OverflowingModel()
    {
        RecurrentModel model = TestBoard.Model(["current", "pressure"], 100);
        var huge = WeightMatrix.FromFloat(2, 4, [-3e38f, -3e38f, -3e38f, -3e38f, 0, 0, 0, 0]).Quantize();
        return model with { Head = [model.Head[0] with { W = huge, Bias = [3e38f, 0] }] };
    }

    public byte[] SignedModelBytes(RecurrentModel model, ECDsa? key = null) => ModelSignature.Sign(ModelFile.ToBytes(model), key ?? Key);

    public static UpdateCommand ModelCommand(byte[] model, ulong version, string device = Device, TimeSpan? expiresIn = null) => new()
    {
        Kind = UpdateKind.Model,
        DeviceId = device,
        Version = version,
        IssuedUnixMs = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        ExpiresUnixMs = (ulong)DateTimeOffset.UtcNow.Add(expiresIn ?? TimeSpan.FromHours(1)).ToUnixTimeMilliseconds(),
        Model = model,
    };

    public static UpdateCommand ThresholdsCommand(ulong version, params ThresholdUpdate[] thresholds) => new()
    {
        Kind = UpdateKind.Thresholds,
        DeviceId = Device,
        Version = version,
        IssuedUnixMs = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        ExpiresUnixMs = (ulong)DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(),
        Thresholds = thresholds,
    };

    public byte[] Seal(UpdateCommand command, ECDsa? key = null) => SignedMessage.Seal(UpdateCommandCodec.Encode(command), key ?? Key);

    public void Dispose() => Key.Dispose();
}
