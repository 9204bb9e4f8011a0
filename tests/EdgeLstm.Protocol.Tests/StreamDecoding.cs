namespace EdgeLstm.Protocol.Tests;

/// <summary>Runs a whole byte stream through a <see cref="StreamFrameDecoder"/>, optionally in small chunks.</summary>
internal static class StreamDecoding
{
    public static List<DecodeResult> DecodeAll(ReadOnlySpan<byte> stream, DecoderLimits? limits = null, int chunkSize = int.MaxValue)
    {
        var decoder = new StreamFrameDecoder(limits ?? DecoderLimits.Default);
        var results = new List<DecodeResult>();
        for (int start = 0; start < stream.Length; start += chunkSize)
        {
            ReadOnlySpan<byte> chunk = stream.Slice(start, Math.Min(chunkSize, stream.Length - start));
            int offset = 0;
            while (decoder.TryDecodeNext(chunk[offset..], out int consumed, out DecodeResult result))
            {
                offset += consumed;
                results.Add(result);
            }
        }

        while (decoder.TryFinish(out DecodeResult rest))
        {
            results.Add(rest);
        }

        Assert.Equal(stream.Length, decoder.Position);
        return results;
    }
}
