namespace EdgeLstm.Sensors.Devices;

/// <summary>MPU-6050 register addresses (RM-MPU-6000A-00 rev 4.2), used by the driver wrapper and the simulated chip alike.</summary>
internal enum Mpu6050Register : byte
{
    SampleRateDivider = 0x19,
    GyroConfig = 0x1B,
    AccelConfig = 0x1C,
    AccelXOutHigh = 0x3B,
    TempOutHigh = 0x41,
    GyroXOutHigh = 0x43,
    PowerManagement1 = 0x6B,
    WhoAmI = 0x75,
}
