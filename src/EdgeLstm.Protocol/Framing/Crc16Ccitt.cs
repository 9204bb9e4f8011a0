using System.Buffers.Binary;

namespace EdgeLstm.Protocol;

/// <summary>
/// CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR; check value 0x29B1
/// for ASCII "123456789"). Python computes the same value with <c>binascii.crc_hqx(data, 0xFFFF)</c>.
/// </summary>
public static class Crc16Ccitt
{
    /// <summary>Number of bytes the CRC adds to a frame.</summary>
    public const int Size = 2;

    private const ushort Polynomial = 0x1021;
    private const ushort InitialValue = 0xFFFF;

    private static readonly ushort[] Table = BuildTable();

    /// <summary>Computes the CRC of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to check.</param>
    /// <returns>The 16-bit CRC.</returns>
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort crc = InitialValue;
        foreach (byte value in data)
        {
            crc = (ushort)((crc << 8) ^ Table[(crc >> 8) ^ value]);
        }

        return crc;
    }

    /// <summary>Writes the CRC of <paramref name="data"/> big-endian into <paramref name="destination"/>.</summary>
    /// <param name="data">The bytes to check.</param>
    /// <param name="destination">At least <see cref="Size"/> bytes.</param>
    public static void Write(ReadOnlySpan<byte> data, Span<byte> destination) =>
        BinaryPrimitives.WriteUInt16BigEndian(destination, Compute(data));

    /// <summary>Checks that the last two bytes of <paramref name="dataWithCrc"/> are the big-endian CRC of the rest.</summary>
    /// <param name="dataWithCrc">Data followed by its CRC.</param>
    /// <returns>True when the CRC matches.</returns>
    public static bool Verify(ReadOnlySpan<byte> dataWithCrc) =>
        dataWithCrc.Length >= Size
        && BinaryPrimitives.ReadUInt16BigEndian(dataWithCrc[^Size..]) == Compute(dataWithCrc[..^Size]);

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < table.Length; i++)
        {
            ushort crc = (ushort)(i << 8);
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ Polynomial) : (ushort)(crc << 1);
            }

            table[i] = crc;
        }

        return table;
    }
}
