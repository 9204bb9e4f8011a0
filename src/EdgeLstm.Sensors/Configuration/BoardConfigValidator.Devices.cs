using System.Globalization;
using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Replay;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>Per-device rules: settings the chips offer and sample rates they can deliver.</summary>
internal sealed partial class BoardConfigValidator
{
    private void ValidateDevice(DeviceConfig d, int index, string path)
    {
        double rate = config.Sampler.RateHz;
        if (d is I2cDeviceConfig i2c)
        {
            ValidateI2c(i2c, path);
        }

        switch (d)
        {
            case Ads1115Config ads:
                if (!ChipLimits.Ads1115FullScale.Contains(ads.FullScaleVolts))
                {
                    Add($"{path}.fullScaleVolts", $"{Num(ads.FullScaleVolts)} V is not an ADS1115 range.", $"Use one of {List(ChipLimits.Ads1115FullScale)}.");
                }

                if (!ChipLimits.Ads1115DataRates.Contains(ads.DataRate))
                {
                    Add($"{path}.dataRate", $"{ads.DataRate} SPS is not an ADS1115 data rate.", $"Use one of {List(ChipLimits.Ads1115DataRates)}.");
                }
                else if (rate * ads.Channels.Count > ads.DataRate)
                {
                    Add($"{path}.dataRate", $"sampling {ads.Channels.Count} channel(s) at {Num(rate)} Hz needs {Num(rate * ads.Channels.Count)} conversions/s, but the ADS1115 runs at {ads.DataRate} SPS.",
                        $"Raise dataRate to at least {Num(rate * ads.Channels.Count)} (max 860), or lower sampler.rateHz to {Num(Math.Floor(ads.DataRate / (double)Math.Max(1, ads.Channels.Count)))} or less.");
                }

                for (int j = 0; j < ads.Channels.Count; j++)
                {
                    if (!ChipLimits.Ads1115Inputs.Contains(ads.Channels[j].Input, StringComparer.Ordinal))
                    {
                        Add($"{path}.channels[{j}].input", $"'{ads.Channels[j].Input}' is not an ADS1115 input.", $"Use one of {List(ChipLimits.Ads1115Inputs)}.");
                    }
                }

                break;
            case Mcp3008Config mcp:
                if (mcp.SpiBus < 0 || mcp.ChipSelect < 0)
                {
                    Add($"{path}.spiBus", "SPI bus and chip select must be ≥ 0.", "On a Raspberry Pi, SPI0 with CE0 is spiBus 0, chipSelect 0.");
                }

                if (!(mcp.ReferenceVolts > 0 && mcp.ReferenceVolts <= 5.5))
                {
                    Add($"{path}.referenceVolts", $"V_REF {Num(mcp.ReferenceVolts)} V is outside 0–5.5 V.", "Use the voltage wired to the VREF pin, usually 3.3.");
                }

                if (mcp.ClockHz < 10_000 || mcp.ClockHz > 3_600_000)
                {
                    Add($"{path}.clockHz", $"SPI clock {mcp.ClockHz} Hz is outside the MCP3008's 10 kHz–3.6 MHz.", "Use 1000000 (1 MHz works from 2.7 V to 5 V).");
                }
                else if (rate * mcp.Channels.Count * ChipLimits.Mcp3008ClocksPerConversion > mcp.ClockHz)
                {
                    Add($"{path}.clockHz", $"{mcp.Channels.Count} channel(s) at {Num(rate)} Hz need {Num(rate * mcp.Channels.Count * ChipLimits.Mcp3008ClocksPerConversion)} SPI clocks/s, more than {mcp.ClockHz} Hz.", "Raise clockHz or lower sampler.rateHz.");
                }

                for (int j = 0; j < mcp.Channels.Count; j++)
                {
                    if (mcp.Channels[j].Input is < 0 or > 7)
                    {
                        Add($"{path}.channels[{j}].input", $"input {mcp.Channels[j].Input} does not exist.", "The MCP3008 has inputs 0–7.");
                    }
                }

                break;
            case Mpu6050Config mpu:
                if (mpu.AccelerometerRangeG is not (2 or 4 or 8 or 16))
                {
                    Add($"{path}.accelerometerRangeG", $"±{mpu.AccelerometerRangeG} g is not an MPU-6050 range.", "Use 2, 4, 8 or 16.");
                }

                if (mpu.Window < 2 || mpu.Window > 1000)
                {
                    Add($"{path}.window", $"window {mpu.Window} is outside 2–1000 reads per sample.", "RMS and peak need at least 2 reads; 16–64 is typical.");
                }
                else if (rate * mpu.Window > ChipLimits.Mpu6050AccelerometerRateHz)
                {
                    Add($"{path}.window", $"{mpu.Window} reads per sample at {Num(rate)} Hz is {Num(rate * mpu.Window)} reads/s, but the accelerometer outputs {Num(ChipLimits.Mpu6050AccelerometerRateHz)} samples/s.",
                        $"Lower window to {Num(Math.Floor(ChipLimits.Mpu6050AccelerometerRateHz / rate))} or less, or lower sampler.rateHz.");
                }

                break;
            case Bme280Config bme:
                if (bme.Oversampling is not (1 or 2 or 4 or 8 or 16))
                {
                    Add($"{path}.oversampling", $"oversampling ×{bme.Oversampling} does not exist.", "Use 1, 2, 4, 8 or 16.");
                }
                else
                {
                    double ms = Bme280Device.MaxMeasurementMilliseconds(ChipLimits.Bme280Oversampling(bme.Oversampling));
                    if (rate > 1000 / ms)
                    {
                        Add($"{path}.oversampling", $"with oversampling ×{bme.Oversampling} a BME280 measurement takes up to {Num(ms)} ms, so it cannot deliver {Num(rate)} Hz.",
                            $"Lower sampler.rateHz to {Num(Math.Floor(1000 / ms))} or less, or lower the oversampling.");
                    }
                }

                break;
            case Ina219Config ina:
                if (!(ina.ShuntOhms > 0))
                {
                    Add($"{path}.shuntOhms", "the shunt resistance must be positive.", "Use the resistor on your board, e.g. 0.1.");
                }

                if (!(ina.MaxCurrentAmperes > 0))
                {
                    Add($"{path}.maxCurrentAmperes", "the maximum current must be positive.", "Use the largest current you expect, e.g. 3.2.");
                }

                if (ina.BusVoltageRange is not (16 or 32))
                {
                    Add($"{path}.busVoltageRange", $"{ina.BusVoltageRange} V is not an INA219 bus range.", "Use 16 or 32.");
                }

                if (ina.ShuntRangeMillivolts is not (40 or 80 or 160 or 320))
                {
                    Add($"{path}.shuntRangeMillivolts", $"±{ina.ShuntRangeMillivolts} mV is not an INA219 shunt range.", "Use 40, 80, 160 or 320.");
                }
                else if (ina.ShuntOhms > 0 && ina.MaxCurrentAmperes * ina.ShuntOhms * 1000 > ina.ShuntRangeMillivolts * (1 + 1e-9))
                {
                    Add($"{path}.shuntRangeMillivolts", $"{Num(ina.MaxCurrentAmperes)} A through {Num(ina.ShuntOhms)} Ω is {Num(ina.MaxCurrentAmperes * ina.ShuntOhms * 1000)} mV, beyond ±{ina.ShuntRangeMillivolts} mV: readings would saturate.",
                        "Use a larger shunt range, a smaller shunt or a lower maxCurrentAmperes.");
                }

                double maxIna = 1e6 / (2 * ChipLimits.Ina219ConversionMicroseconds);
                if (rate > maxIna)
                {
                    Add("$.sampler.rateHz", $"the INA219 '{d.Name}' converts bus and shunt in {Num(2 * ChipLimits.Ina219ConversionMicroseconds)} µs, so it cannot deliver {Num(rate)} Hz.", $"Lower sampler.rateHz to {Num(Math.Floor(maxIna))} or less.");
                }

                break;
            case TachometerConfig tach:
                ClaimPin(tach.Pin, $"{path}.pin", $"tachometer '{d.Name}'");
                if (!(tach.PulsesPerRevolution > 0))
                {
                    Add($"{path}.pulsesPerRevolution", "pulses per revolution must be positive.", "Count the magnets or slots on the shaft, e.g. 1 or 2.");
                }

                if (tach.AveragingSamples < 1)
                {
                    Add($"{path}.averagingSamples", "averagingSamples must be at least 1.", "Average over about one second of samples for slow shafts.");
                }

                break;
            case GpioInputConfig gpio:
                ClaimPin(gpio.Pin, $"{path}.pin", $"GPIO input '{d.Name}'");
                break;
            case ReplayConfig replay:
                ValidateReplay(replay, index, path);
                break;
        }
    }

    private void ValidateI2c(I2cDeviceConfig d, string path)
    {
        if (d.Bus < 0)
        {
            Add($"{path}.bus", $"I2C bus {d.Bus} is negative.", "On a Raspberry Pi the header's I2C is bus 1.");
        }

        int address = d.Address.Value;
        if (address is < 0x03 or > 0x77)
        {
            Add($"{path}.address", $"I2C address {d.Address} is outside 0x03–0x77 (0x00–0x02 and 0x78–0x7F are reserved).", $"Use the chip's address: {ChipLimits.AddressRange(d).Note}.");
            return;
        }

        (int first, int last, string note) = ChipLimits.AddressRange(d);
        if (address < first || address > last)
        {
            Add($"{path}.address", $"I2C address {d.Address} cannot be a {d.GetType().Name.Replace("Config", "", StringComparison.Ordinal).ToUpperInvariant()}.", $"{note}.");
        }

        if (!_i2cAddresses.TryAdd((d.Bus, address), path))
        {
            Add($"{path}.address", $"I2C bus {d.Bus} address {d.Address} is already used by {_i2cAddresses[(d.Bus, address)]}.", "Strap one chip to another address, or put it on another bus.");
        }
    }

    private void ValidateReplay(ReplayConfig replay, int index, string path)
    {
        if (!(replay.Speed > 0))
        {
            Add($"{path}.speed", $"speed {Num(replay.Speed)} must be positive.", "Use 1 for real time, larger to replay faster.");
        }

        string file = Path.GetFullPath(Path.Combine(baseDirectory, replay.File));
        if (!File.Exists(file))
        {
            Add($"{path}.file", $"recording '{replay.File}' not found (looked at {file}).", "Paths are relative to the config file's folder.");
            return;
        }

        CsvRecording recording;
        try
        {
            recording = CsvRecording.Load(file, replay.TimeColumn);
        }
        catch (CsvFormatException ex)
        {
            foreach (string problem in ex.Problems)
            {
                int hint = problem.IndexOf(" Hint: ", StringComparison.Ordinal);
                Add($"{path}.file", hint < 0 ? problem : problem[..hint], hint < 0 ? "Fix the recording." : problem[(hint + 7)..]);
            }

            return;
        }
        catch (Exception ex) when (FileErrors.IsFileError(ex))
        {
            Add($"{path}.file", $"recording '{replay.File}' cannot be read: {FileErrors.Describe(ex, file)}", "Paths are relative to the board file; check the path and the file's permissions.");
            return;
        }

        Recordings[index] = recording;
        for (int j = 0; j < replay.Channels.Count; j++)
        {
            string column = replay.Channels[j].Column ?? replay.Channels[j].Name;
            if (recording.IndexOf(column) < 0)
            {
                Add($"{path}.channels[{j}].column", $"column '{column}' is not in {replay.File}.", $"The value columns are {List(recording.ColumnNames)}.");
            }
        }
    }
}
