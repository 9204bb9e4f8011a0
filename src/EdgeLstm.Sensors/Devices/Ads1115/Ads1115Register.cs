namespace EdgeLstm.Sensors.Devices;

/// <summary>ADS1115 register pointers (SBAS444D §9.6); the bindings' driver keeps its own, so the simulated chip is the only user here.</summary>
internal enum Ads1115Register : byte
{
    Conversion = 0x00,
    Config = 0x01,
    LoThreshold = 0x02,
    HiThreshold = 0x03,
}
