namespace EdgeLstm.Protocol;

/// <summary>
/// Consistent Overhead Byte Stuffing: rewrites a block so it contains no 0x00 byte, which leaves 0x00 free to
/// mark the end of a frame. Overhead is one byte per started 254 bytes of input, i.e. exactly one byte for any
/// frame this protocol sends.
/// </summary>
public static class Cobs
{
    // A code byte of 0xFF means "254 data bytes follow and no zero was removed here".
    private const byte MaxCode = 0xFF;

    /// <summary>The largest encoded size of <paramref name="sourceLength"/> input bytes (without the 0x00 delimiter).</summary>
    /// <param name="sourceLength">Number of bytes to encode.</param>
    /// <returns>The worst-case encoded length.</returns>
    public static int MaxEncodedLength(int sourceLength) => sourceLength + (sourceLength / (MaxCode - 1)) + 1;

    /// <summary>Encodes <paramref name="source"/> into <paramref name="destination"/>; the result contains no 0x00.</summary>
    /// <param name="source">Bytes to encode.</param>
    /// <param name="destination">At least <see cref="MaxEncodedLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < MaxEncodedLength(source.Length))
        {
            throw new ArgumentException(
                $"COBS needs {MaxEncodedLength(source.Length)} bytes for {source.Length} input bytes; destination has {destination.Length}.",
                nameof(destination));
        }

        int codeIndex = 0;
        int write = 1;
        byte code = 1;
        foreach (byte value in source)
        {
            if (value == 0)
            {
                destination[codeIndex] = code;
                codeIndex = write++;
                code = 1;
                continue;
            }

            destination[write++] = value;
            code++;
            if (code == MaxCode)
            {
                destination[codeIndex] = code;
                codeIndex = write++;
                code = 1;
            }
        }

        destination[codeIndex] = code;
        return write;
    }

    /// <summary>Decodes one COBS block (without its 0x00 delimiter).</summary>
    /// <param name="source">The encoded bytes.</param>
    /// <param name="destination">At least <paramref name="source"/>.Length bytes; decoding never grows the data.</param>
    /// <param name="written">The number of decoded bytes.</param>
    /// <param name="errorOffset">On failure, the offset in <paramref name="source"/> of the byte that broke the encoding.</param>
    /// <returns>False when the block holds a 0x00 or a code byte points past its end.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> source, Span<byte> destination, out int written, out int errorOffset)
    {
        written = 0;
        errorOffset = -1;
        int read = 0;
        while (read < source.Length)
        {
            int codeOffset = read;
            byte code = source[read++];
            if (code == 0)
            {
                errorOffset = codeOffset;
                return false;
            }

            for (int i = 1; i < code; i++)
            {
                if (read >= source.Length || source[read] == 0)
                {
                    errorOffset = read >= source.Length ? codeOffset : read;
                    return false;
                }

                destination[written++] = source[read++];
            }

            // Each group except a full one (0xFF) and the last stands for a removed zero.
            if (code != MaxCode && read < source.Length)
            {
                destination[written++] = 0;
            }
        }

        return true;
    }
}
