using System.Buffers.Binary;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// The BME280 trimming parameters and the datasheet's fixed-point compensation formulas (Bosch
/// BST-BME280-DS002, §4.2.2 Table 16 for the layout, §4.2.3 / §8.2 for the 32/64-bit integer formulas).
/// Used instead of the binding's read methods, which return UnitsNet quantities (about 6 MB of AOT binary).
/// </summary>
public sealed class Bme280Calibration
{
    /// <summary>Gets or sets dig_T1 (0x88, unsigned).</summary>
    public ushort T1 { get; init; }

    /// <summary>Gets or sets dig_T2 (0x8A).</summary>
    public short T2 { get; init; }

    /// <summary>Gets or sets dig_T3 (0x8C).</summary>
    public short T3 { get; init; }

    /// <summary>Gets or sets dig_P1 (0x8E, unsigned).</summary>
    public ushort P1 { get; init; }

    /// <summary>Gets or sets dig_P2 (0x90).</summary>
    public short P2 { get; init; }

    /// <summary>Gets or sets dig_P3 (0x92).</summary>
    public short P3 { get; init; }

    /// <summary>Gets or sets dig_P4 (0x94).</summary>
    public short P4 { get; init; }

    /// <summary>Gets or sets dig_P5 (0x96).</summary>
    public short P5 { get; init; }

    /// <summary>Gets or sets dig_P6 (0x98).</summary>
    public short P6 { get; init; }

    /// <summary>Gets or sets dig_P7 (0x9A).</summary>
    public short P7 { get; init; }

    /// <summary>Gets or sets dig_P8 (0x9C).</summary>
    public short P8 { get; init; }

    /// <summary>Gets or sets dig_P9 (0x9E).</summary>
    public short P9 { get; init; }

    /// <summary>Gets or sets dig_H1 (0xA1, unsigned).</summary>
    public byte H1 { get; init; }

    /// <summary>Gets or sets dig_H2 (0xE1).</summary>
    public short H2 { get; init; }

    /// <summary>Gets or sets dig_H3 (0xE3, unsigned).</summary>
    public byte H3 { get; init; }

    /// <summary>Gets or sets dig_H4 (0xE4 and the low nibble of 0xE5, 12-bit signed).</summary>
    public short H4 { get; init; }

    /// <summary>Gets or sets dig_H5 (the high nibble of 0xE5 and 0xE6, 12-bit signed).</summary>
    public short H5 { get; init; }

    /// <summary>Gets or sets dig_H6 (0xE7, signed).</summary>
    public sbyte H6 { get; init; }

    /// <summary>Parses the two calibration blocks as read from the chip.</summary>
    /// <param name="block1">26 bytes from 0x88 to 0xA1.</param>
    /// <param name="block2">7 bytes from 0xE1 to 0xE7.</param>
    /// <returns>The parameters.</returns>
    public static Bme280Calibration Parse(ReadOnlySpan<byte> block1, ReadOnlySpan<byte> block2)
    {
        if (block1.Length < 26 || block2.Length < 7)
        {
            throw new ArgumentException("BME280 calibration needs 26 bytes from 0x88 and 7 bytes from 0xE1.");
        }

        return new Bme280Calibration
        {
            T1 = BinaryPrimitives.ReadUInt16LittleEndian(block1),
            T2 = BinaryPrimitives.ReadInt16LittleEndian(block1[2..]),
            T3 = BinaryPrimitives.ReadInt16LittleEndian(block1[4..]),
            P1 = BinaryPrimitives.ReadUInt16LittleEndian(block1[6..]),
            P2 = BinaryPrimitives.ReadInt16LittleEndian(block1[8..]),
            P3 = BinaryPrimitives.ReadInt16LittleEndian(block1[10..]),
            P4 = BinaryPrimitives.ReadInt16LittleEndian(block1[12..]),
            P5 = BinaryPrimitives.ReadInt16LittleEndian(block1[14..]),
            P6 = BinaryPrimitives.ReadInt16LittleEndian(block1[16..]),
            P7 = BinaryPrimitives.ReadInt16LittleEndian(block1[18..]),
            P8 = BinaryPrimitives.ReadInt16LittleEndian(block1[20..]),
            P9 = BinaryPrimitives.ReadInt16LittleEndian(block1[22..]),
            H1 = block1[25],
            H2 = BinaryPrimitives.ReadInt16LittleEndian(block2),
            H3 = block2[2],
            H4 = (short)(((sbyte)block2[3] << 4) | (block2[4] & 0x0F)),
            H5 = (short)(((sbyte)block2[5] << 4) | (block2[4] >> 4)),
            H6 = (sbyte)block2[6],
        };
    }

    /// <summary>Writes the parameters in the chip's register layout (the inverse of <see cref="Parse"/>).</summary>
    /// <param name="block1">26 bytes for 0x88–0xA1 (0xA0 is left as is).</param>
    /// <param name="block2">7 bytes for 0xE1–0xE7.</param>
    public void WriteTo(Span<byte> block1, Span<byte> block2)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(block1, T1);
        BinaryPrimitives.WriteInt16LittleEndian(block1[2..], T2);
        BinaryPrimitives.WriteInt16LittleEndian(block1[4..], T3);
        BinaryPrimitives.WriteUInt16LittleEndian(block1[6..], P1);
        BinaryPrimitives.WriteInt16LittleEndian(block1[8..], P2);
        BinaryPrimitives.WriteInt16LittleEndian(block1[10..], P3);
        BinaryPrimitives.WriteInt16LittleEndian(block1[12..], P4);
        BinaryPrimitives.WriteInt16LittleEndian(block1[14..], P5);
        BinaryPrimitives.WriteInt16LittleEndian(block1[16..], P6);
        BinaryPrimitives.WriteInt16LittleEndian(block1[18..], P7);
        BinaryPrimitives.WriteInt16LittleEndian(block1[20..], P8);
        BinaryPrimitives.WriteInt16LittleEndian(block1[22..], P9);
        block1[25] = H1;
        BinaryPrimitives.WriteInt16LittleEndian(block2, H2);
        block2[2] = H3;
        block2[3] = (byte)(H4 >> 4);
        block2[4] = (byte)((H4 & 0x0F) | ((H5 & 0x0F) << 4));
        block2[5] = (byte)(H5 >> 4);
        block2[6] = (byte)H6;
    }

    /// <summary>Computes t_fine, the temperature carried into the pressure and humidity formulas (§4.2.3).</summary>
    /// <param name="adcT">20-bit raw temperature.</param>
    /// <returns>t_fine.</returns>
    public int FineTemperature(int adcT)
    {
        int var1 = (((adcT >> 3) - (T1 << 1)) * T2) >> 11;
        int d = (adcT >> 4) - T1;
        int var2 = (((d * d) >> 12) * T3) >> 14;
        return var1 + var2;
    }

    /// <summary>Temperature in °C from t_fine (resolution 0.01 °C).</summary>
    /// <param name="fineTemperature">t_fine.</param>
    /// <returns>Degrees Celsius.</returns>
    public static double Celsius(int fineTemperature) => ((fineTemperature * 5 + 128) >> 8) / 100.0;

    /// <summary>Pressure in Pa (64-bit formula, Q24.8 result).</summary>
    /// <param name="adcP">20-bit raw pressure.</param>
    /// <param name="fineTemperature">t_fine.</param>
    /// <returns>Pascals; 0 if the calibration would divide by zero.</returns>
    public double Pascals(int adcP, int fineTemperature)
    {
        long var1 = (long)fineTemperature - 128000;
        long var2 = var1 * var1 * P6;
        var2 += (var1 * P5) << 17;
        var2 += (long)P4 << 35;
        var1 = ((var1 * var1 * P3) >> 8) + ((var1 * P2) << 12);
        var1 = (((1L << 47) + var1) * P1) >> 33;
        if (var1 == 0)
        {
            return 0;
        }

        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (P9 * (p >> 13) * (p >> 13)) >> 25;
        var2 = (P8 * p) >> 19;
        p = ((p + var1 + var2) >> 8) + ((long)P7 << 4);
        return (uint)p / 256.0;
    }

    /// <summary>Relative humidity in % (32-bit formula, Q22.10 result).</summary>
    /// <param name="adcH">16-bit raw humidity.</param>
    /// <param name="fineTemperature">t_fine.</param>
    /// <returns>Percent relative humidity, 0–100.</returns>
    public double RelativeHumidity(int adcH, int fineTemperature)
    {
        int v = fineTemperature - 76800;
        v = (((adcH << 14) - (H4 << 20) - (H5 * v) + 16384) >> 15)
            * (((((((v * H6) >> 10) * (((v * H3) >> 11) + 32768)) >> 10) + 2097152) * H2 + 8192) >> 14);
        v -= ((((v >> 15) * (v >> 15)) >> 7) * H1) >> 4;
        v = Math.Clamp(v, 0, 419430400);
        return (v >> 12) / 1024.0;
    }
}
