using System.Buffers;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Signing;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Updates;

namespace EdgeLstm.Runtime.Tests.Updates;

/// <summary>
/// Every inbound path a board has, fed 100,000 mutated inputs each (seeded, so a failure repeats): Ack frames, update
/// commands as they arrive on <c>…/cmd</c>, command bodies (as if signed), signature blocks and signed model files. No
/// crash, no hang (each case is one bounded pass), and nothing accepted that is not the signed original.
/// </summary>
public sealed class InboundFuzzTests : IDisposable
{
    private const int Cases = 100_000;

    private readonly TestBoard _board = new();
    private readonly UpdateKit _kit;
    private readonly RuntimeSetup _setup;

    public InboundFuzzTests()
    {
        _kit = new UpdateKit(_board);
        _setup = _kit.LoadSetup();
    }

    public void Dispose()
    {
        _kit.Dispose();
        _board.Dispose();
    }

    /// <summary>One to four edits of <paramref name="original"/>: a flipped byte, a cut tail, an inserted, deleted or appended run, random bytes over a run.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        List<byte> bytes = [.. original];
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(bytes.Count + 1);
            int run = Math.Min(bytes.Count - at, 1 + random.Next(8));
            switch (random.Next(6))
            {
                case 0 when at < bytes.Count:
                    bytes[at] ^= (byte)(1 + random.Next(255));
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3:
                    bytes.RemoveRange(at, run);
                    break;
                case 4:
                    bytes.AddRange(Enumerable.Range(0, 1 + random.Next(16)).Select(_ => (byte)random.Next(256)));
                    break;
                default:
                    for (int i = 0; i < run; i++) bytes[at + i] = (byte)random.Next(256);
                    break;
            }
        }
        return [.. bytes];
    }

    [Fact]
    public void Mutated_ack_frames_decode_or_fail_cleanly()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        PayloadEncoder.Write(new AckFrame { HighestSequence = 123_456, LowestSequence = 123_000, SessionId = 0xfeed }, buffer);
        byte[] ack = buffer.WrittenSpan.ToArray();
        var random = new Random(18_001);
        int frames = 0, errors = 0;
        for (int i = 0; i < Cases; i++)
        {
            DecodeResult result = PayloadDecoder.Decode(Mutate(ack, random));
            if (result.IsFrame) frames++;
            else errors++;
        }
        Assert.Equal(Cases, frames + errors);
        Assert.True(errors > Cases / 2, $"{errors} of {Cases} mutations refused: the mutations barely mutate");
    }

    [Fact]
    public void Mutated_signed_commands_are_all_refused_unless_unchanged()
    {
        byte[] original = _kit.Seal(UpdateKit.ThresholdsCommand(11, new ThresholdUpdate(_setup.Rules[0].Name, 0.8f, 0.6f)));
        var verifier = new UpdateVerifier(_setup, () => 10, () => _setup.Rules, TimeProvider.System);
        var random = new Random(18_002);
        int accepted = 0, unchanged = 0;
        for (int i = 0; i < Cases; i++)
        {
            byte[] mutated = Mutate(original, random);
            bool same = mutated.AsSpan().SequenceEqual(original);
            PreparedUpdate result = verifier.Verify(mutated);
            if (same) unchanged++;
            else Assert.True(result.Refusal is not null, $"case {i}: a changed command was accepted: {Convert.ToHexString(mutated)}");
            if (result.Refusal is null) accepted++;
        }
        Assert.Equal(unchanged, accepted);
    }

    [Fact]
    public void Mutated_command_bodies_read_or_are_refused_in_words()
    {
        byte[] model = UpdateCommandCodec.Encode(UpdateKit.ModelCommand(_kit.SignedModelBytes(UpdateKit.RetrainedModel()), 11));
        byte[] thresholds = UpdateCommandCodec.Encode(UpdateKit.ThresholdsCommand(11, new ThresholdUpdate("anomaly", 0.8f, 0.6f), new ThresholdUpdate("fault", 0.5f, 0.4f)));
        var random = new Random(18_003);
        int read = 0;
        for (int i = 0; i < Cases; i++)
        {
            byte[] mutated = Mutate(i % 2 == 0 ? model : thresholds, random);
            try
            {
                UpdateCommand command = UpdateCommandCodec.Decode(mutated);
                Assert.True(command.Kind == UpdateKind.Model ? command.Model.Length > 0 : command.Thresholds.Count > 0);
                read++;
            }
            catch (UpdateCommandException e)
            {
                Assert.StartsWith("the command", e.Message);
            }
        }
        Assert.True(read < Cases);
    }

    [Fact]
    public void Mutated_signed_bodies_that_are_signed_again_never_break_the_verifier()
    {
        // The worst case for the parser behind the signature: garbage that a trusted key really signed.
        byte[] body = UpdateCommandCodec.Encode(UpdateKit.ThresholdsCommand(11, new ThresholdUpdate(_setup.Rules[0].Name, 0.8f, 0.6f)));
        var verifier = new UpdateVerifier(_setup, () => 10, () => _setup.Rules, TimeProvider.System);
        var random = new Random(18_004);
        for (int i = 0; i < 10_000; i++)
        {
            PreparedUpdate result = verifier.Verify(SignedMessage.Seal(Mutate(body, random), _kit.Key));
            Assert.True(result.Refusal is not null || result.Rules.Count == _setup.Rules.Count);
        }
    }

    [Fact]
    public void Mutated_signature_blocks_and_signed_models_are_refused_in_words()
    {
        byte[] signed = File.ReadAllBytes(_board.ModelPath);
        byte[] block = signed[^SignatureBlock.Size..];
        var random = new Random(18_005);
        for (int i = 0; i < Cases; i++)
        {
            byte[] mutatedBlock = Mutate(block, random);
            try
            {
                SignatureBlock.Read(mutatedBlock, "fuzz");
            }
            catch (SignatureException e)
            {
                Assert.StartsWith("fuzz: ", e.Message);
            }

            byte[] model = Mutate(signed, random);
            if (model.AsSpan().SequenceEqual(signed)) continue;
            Assert.Throws<SignatureException>(() => ModelSignature.Verify(model, _setup.Trust));
            try
            {
                ModelSignature.Read(model);
            }
            catch (InvalidModelException)
            {
            }
        }
    }
}
