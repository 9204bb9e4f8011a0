namespace EdgeLstm.Sensors.Devices;

/// <summary>INA219 register pointers (SBOS448G §8.6), used by the driver wrapper and the simulated chip alike.</summary>
internal enum Ina219Register : byte
{
    Configuration = 0x00,
    ShuntVoltage = 0x01,
    BusVoltage = 0x02,
    Power = 0x03,
    Current = 0x04,
    Calibration = 0x05,
}
