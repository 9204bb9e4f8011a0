using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>Per-device rules: each device checks its own settings; the bus addresses are shared by all.</summary>
internal sealed partial class BoardConfigValidator
{
    private void ValidateDevice(DeviceConfig d, string path)
    {
        if (d is I2cDeviceConfig i2c)
        {
            ValidateI2c(i2c, path);
        }

        d.Validate(new DeviceCheck(this, path, config.Sampler.RateHz, baseDirectory));
    }

    private void ValidateI2c(I2cDeviceConfig d, string path)
    {
        if (d.Bus < 0)
        {
            Add($"{path}.bus", $"I2C bus {d.Bus} is negative.", "On a Raspberry Pi the header's I2C is bus 1.");
        }

        int address = d.Address.Value;
        I2cAddressRange range = d.AddressRange;
        if (address is < 0x03 or > 0x77)
        {
            Add($"{path}.address", $"I2C address {d.Address} is outside 0x03–0x77 (0x00–0x02 and 0x78–0x7F are reserved).", $"Use the chip's address: {range.Note}.");
            return;
        }

        if (address < range.First || address > range.Last)
        {
            Add($"{path}.address", $"I2C address {d.Address} cannot be a {d.GetType().Name.Replace("Config", "", StringComparison.Ordinal).ToUpperInvariant()}.", $"{range.Note}.");
        }

        if (!_i2cAddresses.TryAdd((d.Bus, address), path))
        {
            Add($"{path}.address", $"I2C bus {d.Bus} address {d.Address} is already used by {_i2cAddresses[(d.Bus, address)]}.", "Strap one chip to another address, or put it on another bus.");
        }
    }
}
