namespace EdgeLstm.Protocol.Tests;

public class CobsTests
{
    // Vectors from the COBS paper's worked examples (Cheshire & Baker, 1999) and the usual edge cases.
    [Theory]
    [InlineData("", "01")]
    [InlineData("00", "01 01")]
    [InlineData("00 00", "01 01 01")]
    [InlineData("11 22 00 33", "03 11 22 02 33")]
    [InlineData("11 22 33 44", "05 11 22 33 44")]
    [InlineData("11 00 00 00", "02 11 01 01 01")]
    public void Encodes_known_vectors(string input, string expected)
    {
        byte[] source = ExampleFrames.Bytes(input);
        byte[] destination = new byte[Cobs.MaxEncodedLength(source.Length)];

        int written = Cobs.Encode(source, destination);

        Assert.Equal(expected, ExampleFrames.Hex(destination.AsSpan(0, written)));
    }

    [Theory]
    [InlineData(253)]
    [InlineData(254)]
    [InlineData(255)]
    [InlineData(508)]
    [InlineData(1000)]
    public void Long_runs_without_zeros_get_one_code_byte_per_254_bytes_and_round_trip(int length)
    {
        byte[] source = Enumerable.Range(0, length).Select(i => (byte)(i % 255 + 1)).ToArray();
        byte[] encoded = new byte[Cobs.MaxEncodedLength(length)];
        int written = Cobs.Encode(source, encoded);
        byte[] decoded = new byte[written];

        Assert.DoesNotContain((byte)0, encoded.AsSpan(0, written).ToArray());
        Assert.True(Cobs.TryDecode(encoded.AsSpan(0, written), decoded, out int decodedLength, out _));
        Assert.Equal(source, decoded.AsSpan(0, decodedLength).ToArray());
        Assert.True(written <= Cobs.MaxEncodedLength(length));
    }

    [Fact]
    public void Decoding_reports_a_code_byte_that_points_past_the_end()
    {
        byte[] decoded = new byte[8];

        Assert.False(Cobs.TryDecode(ExampleFrames.Bytes("03 11 22 05 33"), decoded, out _, out int errorOffset));
        Assert.Equal(3, errorOffset);
    }

    [Fact]
    public void Decoding_rejects_a_zero_inside_the_block()
    {
        Assert.False(Cobs.TryDecode(ExampleFrames.Bytes("03 11 00"), new byte[8], out _, out int errorOffset));
        Assert.Equal(2, errorOffset);
    }

    [Fact]
    public void Encoding_into_a_too_small_destination_names_the_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => Cobs.Encode(new byte[10], new byte[10]));
        Assert.Contains("needs 11 bytes", error.Message, StringComparison.Ordinal);
    }
}
