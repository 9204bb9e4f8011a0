using System.Text;

namespace EdgeLstm.Protocol.Tests;

public class Crc16CcittTests
{
    [Fact]
    public void Matches_the_catalogued_check_value_of_CRC16_CCITT_FALSE() =>
        Assert.Equal(0x29B1, Crc16Ccitt.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Empty_input_gives_the_initial_value() => Assert.Equal(0xFFFF, Crc16Ccitt.Compute([]));

    [Fact]
    public void Verify_accepts_data_followed_by_its_big_endian_crc_and_rejects_any_flipped_bit()
    {
        byte[] block = [.. Encoding.ASCII.GetBytes("123456789"), 0x29, 0xB1];
        Assert.True(Crc16Ccitt.Verify(block));

        for (int bit = 0; bit < block.Length * 8; bit++)
        {
            byte[] damaged = (byte[])block.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Crc16Ccitt.Verify(damaged), $"flipping bit {bit} went unnoticed");
        }
    }
}
