namespace EdgeLstm.Sensors.Devices;

/// <summary>BME280 register addresses (BST-BME280-DS002 §5.3–5.4), used by the driver wrapper and the simulated chip alike.</summary>
internal enum Bme280Register : byte
{
    CalibrationBlock1 = 0x88,
    ChipId = 0xD0,
    SoftReset = 0xE0,
    CalibrationBlock2 = 0xE1,
    ControlHumidity = 0xF2,
    Status = 0xF3,
    ControlMeasurement = 0xF4,
    Config = 0xF5,
    PressureMsb = 0xF7,
    HumidityLsb = 0xFE,
}
