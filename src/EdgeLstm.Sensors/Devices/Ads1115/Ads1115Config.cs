using System.Device.I2c;
using AdsDataRate = Iot.Device.Ads1115.DataRate;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Simulation;
using Iot.Device.Ads1115;

namespace EdgeLstm.Sensors.Devices;

/// <summary>ADS1115 16-bit ADC.</summary>
public sealed class Ads1115Config : I2cDeviceConfig
{
    /// <summary>Full-scale ranges and the binding's gain settings (SBAS444D Table 8).</summary>
    internal static readonly (double Volts, MeasuringRange Range)[] FullScales =
    [
        (6.144, MeasuringRange.FS6144), (4.096, MeasuringRange.FS4096), (2.048, MeasuringRange.FS2048),
        (1.024, MeasuringRange.FS1024), (0.512, MeasuringRange.FS0512), (0.256, MeasuringRange.FS0256),
    ];

    /// <summary>Data rates in SPS and the binding's settings (SBAS444D Table 9).</summary>
    internal static readonly (int Sps, AdsDataRate Rate)[] DataRates =
    [
        (8, AdsDataRate.SPS008), (16, AdsDataRate.SPS016), (32, AdsDataRate.SPS032), (64, AdsDataRate.SPS064),
        (128, AdsDataRate.SPS128), (250, AdsDataRate.SPS250), (475, AdsDataRate.SPS475), (860, AdsDataRate.SPS860),
    ];

    /// <summary>Input names and their multiplexer settings.</summary>
    internal static readonly (string Name, InputMultiplexer Mux)[] Inputs =
    [
        ("AIN0", InputMultiplexer.AIN0), ("AIN1", InputMultiplexer.AIN1), ("AIN2", InputMultiplexer.AIN2), ("AIN3", InputMultiplexer.AIN3),
        ("AIN0-AIN1", InputMultiplexer.AIN0_AIN1), ("AIN0-AIN3", InputMultiplexer.AIN0_AIN3), ("AIN1-AIN3", InputMultiplexer.AIN1_AIN3), ("AIN2-AIN3", InputMultiplexer.AIN2_AIN3),
    ];

    private static readonly string[] SimulatedInputNames = ["ain0", "ain1", "ain2", "ain3"];

    /// <inheritdoc />
    public override I2cAddress Address { get; set; } = new(0x48);

    /// <summary>Gets the full-scale range in volts: 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256.</summary>
    public double FullScaleVolts { get; set; } = 4.096;

    /// <summary>Gets the conversion rate in samples per second: 8, 16, 32, 64, 128, 250, 475 or 860.</summary>
    public int DataRate { get; set; } = 860;

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<Ads1115ChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    internal override IReadOnlyList<string> SimulatedInputs => SimulatedInputNames;

    /// <inheritdoc />
    internal override I2cAddressRange AddressRange => new(0x48, 0x4B, "ADS1115: 0x48–0x4B, set by the ADDR pin");

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;

    /// <inheritdoc />
    internal override void Validate(DeviceCheck check)
    {
        if (!FullScales.Any(f => f.Volts == FullScaleVolts))
        {
            check.Problem("fullScaleVolts", $"{ConfigText.Num(FullScaleVolts)} V is not an ADS1115 range.", $"Use one of {ConfigText.List(FullScales.Select(f => f.Volts))}.");
        }

        double conversions = check.RateHz * Channels.Count;
        if (!DataRates.Any(r => r.Sps == DataRate))
        {
            check.Problem("dataRate", $"{DataRate} SPS is not an ADS1115 data rate.", $"Use one of {ConfigText.List(DataRates.Select(r => r.Sps))}.");
        }
        else if (conversions > DataRate)
        {
            check.Problem("dataRate", $"sampling {Channels.Count} channel(s) at {ConfigText.Num(check.RateHz)} Hz needs {ConfigText.Num(conversions)} conversions/s, but the ADS1115 runs at {DataRate} SPS.",
                $"Raise dataRate to at least {ConfigText.Num(conversions)} (max 860), or lower sampler.rateHz to {ConfigText.Num(Math.Floor(DataRate / (double)Math.Max(1, Channels.Count)))} or less.");
        }

        for (int j = 0; j < Channels.Count; j++)
        {
            if (!Inputs.Any(i => i.Name == Channels[j].Input))
            {
                check.Problem($"channels[{j}].input", $"'{Channels[j].Input}' is not an ADS1115 input.", $"Use one of {ConfigText.List(Inputs.Select(i => i.Name))}.");
            }
        }
    }

    /// <inheritdoc />
    internal override SensorDevice Create(DeviceBuild build) =>
        new Ads1115Device(Name, new Ads1115(build.OpenI2c(this), deviceMode: DeviceMode.PowerDown),
            [.. Channels.Select(c => Inputs.First(i => i.Name == c.Input).Mux)],
            FullScales.First(f => f.Volts == FullScaleVolts).Range,
            DataRates.First(r => r.Sps == DataRate).Rate);

    /// <inheritdoc />
    internal override SimulatedI2cDevice CreateSimulatedChip(I2cConnectionSettings settings, DeviceBuild build) =>
        new SimulatedAds1115(settings, build.Clock, DeviceBuild.Input(this, "ain0", 0), DeviceBuild.Input(this, "ain1", 0), DeviceBuild.Input(this, "ain2", 0), DeviceBuild.Input(this, "ain3", 0));
}

/// <summary>An ADS1115 channel.</summary>
public sealed class Ads1115ChannelConfig : ChannelConfig
{
    /// <summary>Gets the input: AIN0…AIN3 against GND, or AIN0-AIN1, AIN0-AIN3, AIN1-AIN3, AIN2-AIN3.</summary>
    public required string Input { get; set; }
}
