namespace EdgeLstm.Sensors.Configuration;

/// <summary>Datasheet facts the validator checks configs against.</summary>
internal static class ChipLimits
{
    /// <summary>ADS1115 full-scale ranges (SBAS444D Table 8).</summary>
    public static readonly double[] Ads1115FullScale = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256];

    /// <summary>ADS1115 data rates in SPS (SBAS444D Table 9).</summary>
    public static readonly int[] Ads1115DataRates = [8, 16, 32, 64, 128, 250, 475, 860];

    /// <summary>ADS1115 input names and their multiplexer settings.</summary>
    public static readonly string[] Ads1115Inputs = ["AIN0", "AIN1", "AIN2", "AIN3", "AIN0-AIN1", "AIN0-AIN3", "AIN1-AIN3", "AIN2-AIN3"];

    /// <summary>MPU-6050 accelerometer output rate with the DLPF off, Hz (register map §4.2).</summary>
    public const double Mpu6050AccelerometerRateHz = 1000;

    /// <summary>INA219 12-bit conversion time, µs (SBOS448G Table 5); bus and shunt convert in turn.</summary>
    public const double Ina219ConversionMicroseconds = 532;

    /// <summary>MCP3008 SPI clocks per conversion with the bindings' 3-byte transfer.</summary>
    public const int Mcp3008ClocksPerConversion = 24;

    /// <summary>Highest GPIO number on the 40-pin header of a Raspberry Pi 4/5.</summary>
    public const int RaspberryPiMaxGpio = 27;

    /// <summary>Addresses each I2C chip can be strapped to.</summary>
    public static (int First, int Last, string Note) AddressRange(I2cDeviceConfig d) => d switch
    {
        Ads1115Config => (0x48, 0x4B, "ADS1115: 0x48–0x4B, set by the ADDR pin"),
        Mpu6050Config => (0x68, 0x69, "MPU-6050: 0x68, or 0x69 with AD0 high"),
        Bme280Config => (0x76, 0x77, "BME280: 0x76, or 0x77 with SDO high"),
        Ina219Config => (0x40, 0x4F, "INA219: 0x40–0x4F, set by A0/A1"),
        _ => (0x03, 0x77, "7-bit addresses 0x03–0x77"),
    };

    /// <summary>Names of the simulated inputs of each device type.</summary>
    public static string[] SimulatedInputs(DeviceConfig d) => d switch
    {
        Ads1115Config => ["ain0", "ain1", "ain2", "ain3"],
        Mcp3008Config => ["ch0", "ch1", "ch2", "ch3", "ch4", "ch5", "ch6", "ch7"],
        Mpu6050Config => ["accelX", "accelY", "accelZ", "gyroX", "gyroY", "gyroZ"],
        Bme280Config => ["temperature", "pressure", "humidity"],
        Ina219Config => ["current", "busVoltage"],
        TachometerConfig => ["frequency"],
        GpioInputConfig => ["level"],
        _ => [],
    };

    /// <summary>The binding's oversampling setting for ×1, ×2, ×4, ×8 or ×16.</summary>
    public static Iot.Device.Bmxx80.Sampling Bme280Oversampling(int times) => times switch
    {
        1 => Iot.Device.Bmxx80.Sampling.UltraLowPower,
        2 => Iot.Device.Bmxx80.Sampling.LowPower,
        4 => Iot.Device.Bmxx80.Sampling.Standard,
        8 => Iot.Device.Bmxx80.Sampling.HighResolution,
        _ => Iot.Device.Bmxx80.Sampling.UltraHighResolution,
    };
}
