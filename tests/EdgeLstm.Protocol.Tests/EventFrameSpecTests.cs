namespace EdgeLstm.Protocol.Tests;

/// <summary>
/// The Event frame example of docs/protocol.md § 6, byte for byte: the encoder writes exactly the documented payload
/// and framed bytes, and the decoder reads them back to the same frame.
/// </summary>
public class EventFrameSpecTests
{
    /// <summary>The example: sequence 123460, 3600400 ms, update version 41 refused, the board still runs model 3f2a9c0d11e4b7a5.</summary>
    private static readonly EventFrame Example = new()
    {
        Sequence = 123460,
        TimeMs = 3600400,
        Kind = BoardEventKind.UpdateRefused,
        UpdateVersion = 41,
        ModelId = "3f2a9c0d11e4b7a5",
        Message = "version 41 is not above 42",
    };

    /// <summary>58 bytes: a fixarray of 7, then fixints, uint32s and two fixstrs.</summary>
    private const string Payload = "97 06 ce 00 01 e2 44 ce 00 36 f0 10 02 29 b0 33 66 32 61 39 63 30 64 31 31 65 34 62 37 61 35 ba 76 65 72 73 69 6f 6e 20 34 31 20 69 73 20 6e 6f 74 20 61 62 6f 76 65 20 34 32";

    /// <summary>62 bytes: COBS, CRC-16, 0x00.</summary>
    private const string Framed = "04 97 06 ce 05 01 e2 44 ce 34 36 f0 10 02 29 b0 33 66 32 61 39 63 30 64 31 31 65 34 62 37 61 35 ba 76 65 72 73 69 6f 6e 20 34 31 20 69 73 20 6e 6f 74 20 61 62 6f 76 65 20 34 32 a5 37 00";

    [Fact]
    public void Encoder_writes_the_documented_Event_bytes()
    {
        Assert.Equal(Payload, ExampleFrames.Hex(ExampleFrames.Payload(Example)));
        Assert.Equal(Framed, ExampleFrames.Hex(ExampleFrames.Framed(Example)));
    }

    [Fact]
    public void Protocol_document_shows_the_same_Event_bytes_and_sizes()
    {
        string spec = File.ReadAllText(Repository.Path("docs", "protocol.md"));
        Assert.Contains($"Payload (58 bytes):\n```\n{Payload}\n```", spec, StringComparison.Ordinal);
        Assert.Contains($"Framed (62 bytes):\n```\n{Framed}\n```", spec, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoder_reads_the_documented_Event_bytes_back()
    {
        byte[] payload = Convert.FromHexString(Payload.Replace(" ", "", StringComparison.Ordinal));
        DecodeResult result = PayloadDecoder.Decode(payload);
        Assert.Equal(FrameType.Event, result.FrameType);
        EventFrame read = result.Event;
        Assert.Equal((Example.Sequence, Example.TimeMs, Example.Kind, Example.UpdateVersion, Example.ModelId, Example.Message),
            (read.Sequence, read.TimeMs, read.Kind, read.UpdateVersion, read.ModelId, read.Message));
    }
}
