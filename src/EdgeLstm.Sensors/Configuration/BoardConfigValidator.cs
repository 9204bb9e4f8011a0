using System.Text.Json;
using System.Globalization;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Replay;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>
/// The checks that need the whole config: names, addresses and pins unique, values inside what the chips
/// can do, the sample rate achievable by every chip, replay files readable. Every problem is collected.
/// </summary>
internal sealed class BoardConfigValidator(BoardConfig config, string baseDirectory, List<ConfigProblem> problems)
{
    private readonly Dictionary<string, string> _channelNames = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _pins = [];
    private readonly Dictionary<(int Bus, int Address), string> _i2cAddresses = [];

    /// <summary>Recordings loaded while validating, by device index, so the board does not parse them twice.</summary>
    public Dictionary<int, CsvRecording> Recordings { get; } = [];

    public void Validate()
    {
        ValidateSampler();
        if (config.Devices.Count == 0)
        {
            Add("$.devices", "the board has no devices.", "Add at least one device, e.g. { \"type\": \"ads1115\", \"name\": \"adc\", \"channels\": [ ... ] }.");
        }

        ReserveBusPins();
        var deviceNames = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < config.Devices.Count; i++)
        {
            DeviceConfig d = config.Devices[i];
            string path = $"$.devices[{i}]";
            if (string.IsNullOrWhiteSpace(d.Name))
            {
                Add($"{path}.name", "the device name is empty.", "Give every device a short unique name, e.g. \"adc0\".");
            }
            else if (!deviceNames.TryAdd(d.Name, i))
            {
                Add($"{path}.name", $"device name '{d.Name}' is already used by $.devices[{deviceNames[d.Name]}].", "Device names must be unique on a board.");
            }

            ValidateChannels(d, path);
            ValidateDevice(d, i, path);
            ValidateSimulation(d, path);
        }

        if (config.Alarm is { } alarm)
        {
            ClaimPin(alarm.Pin, "$.alarm.pin", "the alarm output");
        }

        ValidateRuntimeSections();
    }

    private void ValidateSampler()
    {
        if (config.Board.GpioChip < 0)
        {
            Add("$.board.gpioChip", $"GPIO chip {config.Board.GpioChip} is negative.", "Use the N of /dev/gpiochipN that holds the header pins (0 on a Raspberry Pi).");
        }

        SamplerConfig s = config.Sampler;
        if (!(s.RateHz > 0 && s.RateHz <= 10_000))
        {
            Add("$.sampler.rateHz", $"sample rate {Num(s.RateHz)} Hz is outside 0 < rate ≤ 10000 Hz.", "Models here are trained at 1 Hz to 1 kHz; pick the rate the model was trained at.");
        }

        if (s.HoldLimit < 0)
        {
            Add("$.sampler.holdLimit", "holdLimit is negative.", "Use 0 (never hold) or a small number of samples such as 5.");
        }

        if (s.MaxBackoffSamples < 1)
        {
            Add("$.sampler.maxBackoffSamples", "maxBackoffSamples must be at least 1.", "Use e.g. 64: a gone device is retried at least every 64 samples.");
        }

        bool onlyReplay = config.Devices.All(d => d is ReplayConfig);
        if (s.Clock == ClockKind.Fast && !config.Board.Simulated && !onlyReplay)
        {
            Add("$.sampler.clock", "the fast clock cannot drive real hardware.", "Use \"realtime\", or set \"board.simulated\": true.");
        }
    }

    private void ReserveBusPins()
    {
        if (config.Board.Hardware == BoardHardware.Generic || config.Board.Simulated)
        {
            return;
        }

        // Raspberry Pi header: I2C1 on GPIO 2/3, SPI0 on GPIO 7–11 (CE1, CE0, MISO, MOSI, SCLK).
        if (config.Devices.OfType<I2cDeviceConfig>().FirstOrDefault(d => d.Bus == 1) is { } i2c)
        {
            _pins[2] = $"SDA of I2C bus 1 (used by '{i2c.Name}')";
            _pins[3] = $"SCL of I2C bus 1 (used by '{i2c.Name}')";
        }

        if (config.Devices.OfType<Mcp3008Config>().FirstOrDefault(d => d.SpiBus == 0) is { } spi)
        {
            foreach ((int pin, string role) in new[] { (7, "CE1"), (8, "CE0"), (9, "MISO"), (10, "MOSI"), (11, "SCLK") })
            {
                _pins[pin] = $"{role} of SPI bus 0 (used by '{spi.Name}')";
            }
        }
    }

    private void ValidateChannels(DeviceConfig d, string path)
    {
        IReadOnlyList<ChannelConfig> channels = d.GetChannels();
        if (channels.Count == 0)
        {
            Add($"{path}.channels", $"device '{d.Name}' has no channels.", "List at least one channel, or remove the device.");
        }

        for (int j = 0; j < channels.Count; j++)
        {
            ChannelConfig c = channels[j];
            string cp = $"{path}.channels[{j}]";
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                Add($"{cp}.name", "the channel name is empty.", "Name channels after what they measure, e.g. \"pump_current\".");
            }
            else if (!_channelNames.TryAdd(c.Name, cp))
            {
                Add($"{cp}.name", $"channel name '{c.Name}' is already used at {_channelNames[c.Name]}.", "Channel names must be unique on the board: the model's inputs are matched by name.");
            }

            if (!double.IsFinite(c.Scale) || c.Scale == 0)
            {
                Add($"{cp}.scale", $"scale {Num(c.Scale)} must be a finite, non-zero number.", "Use 1 for no scaling.");
            }

            if (c.Min is { } min && c.Max is { } max && min > max)
            {
                Add($"{cp}.min", $"min {Num(min)} is greater than max {Num(max)}.", "Swap them, or remove one.");
            }
        }

        if (d is GpioInputConfig && channels.Count > 1)
        {
            Add($"{path}.channels", $"a GPIO input has one channel, found {channels.Count}.", "Use one gpioInput device per pin.");
        }
    }

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
                    double ms = Bme280Device.MaxMeasurementMilliseconds(OversamplingOf(bme.Oversampling));
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
        catch (IOException ex)
        {
            Add($"{path}.file", $"recording '{replay.File}' cannot be read: {ex.Message}", "Check the file's permissions.");
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

    private void ValidateSimulation(DeviceConfig d, string path)
    {
        if (d.Simulation is not { } sim)
        {
            return;
        }

        string[] inputs = ChipLimits.SimulatedInputs(d);
        foreach ((string name, SignalConfig signal) in sim.Inputs ?? new Dictionary<string, SignalConfig>())
        {
            string ip = $"{path}.simulation.inputs.{name}";
            if (!inputs.Contains(name, StringComparer.Ordinal))
            {
                Add(ip, $"'{name}' is not an input of a simulated {d.GetType().Name.Replace("Config", "", StringComparison.Ordinal)}.", inputs.Length == 0 ? "This device type takes no simulated inputs." : $"Use one of {List(inputs)}.");
            }

            if (signal.Noise < 0)
            {
                Add($"{ip}.noise", "noise (a standard deviation) is negative.", "Use 0 for no noise.");
            }

            IReadOnlyList<FaultConfig> faults = signal.Faults ?? [];
            for (int k = 0; k < faults.Count; k++)
            {
                ValidateFault(faults[k], $"{ip}.faults[{k}]");
            }
        }

        if (sim.Bus is { } bus)
        {
            if (bus.FailEveryNthRead < 0)
            {
                Add($"{path}.simulation.bus.failEveryNthRead", "failEveryNthRead is negative.", "Use 0 for no failures, or n ≥ 1.");
            }

            if (bus.TransactionMicroseconds < 0)
            {
                Add($"{path}.simulation.bus.transactionMicroseconds", "transactionMicroseconds is negative.", "Use 0, or the time one bus transfer takes.");
            }

            if (bus.DisconnectedUntilSeconds is { } until && until <= (bus.DisconnectedFromSeconds ?? 0))
            {
                Add($"{path}.simulation.bus.disconnectedUntilSeconds", "the device comes back before it disappears.", "disconnectedUntilSeconds must be later than disconnectedFromSeconds.");
            }
        }
    }

    private void ValidateFault(FaultConfig f, string path)
    {
        if (f.StartSeconds < 0)
        {
            Add($"{path}.startSeconds", "startSeconds is negative.", "Times are seconds since the board started.");
        }

        switch (f.Kind)
        {
            case FaultKind.Imbalance when f.FrequencyHz is null || f.GrowthPerSecond is null:
                Add(path, "an imbalance fault needs frequencyHz and growthPerSecond.", "Add e.g. \"frequencyHz\": 24.5, \"growthPerSecond\": 0.01.");
                break;
            case FaultKind.Step when f.Delta is null:
                Add(path, "a step fault needs delta.", "Add e.g. \"delta\": -0.3.");
                break;
            case FaultKind.Invalid when f.EndSeconds is { } end && end <= f.StartSeconds:
                Add($"{path}.endSeconds", "endSeconds is not after startSeconds.", "Omit endSeconds for a sensor that never recovers.");
                break;
        }
    }

    private void ValidateAlarm(AlarmRuleConfig alarm, string path)
    {
        if (alarm.Threshold is null && alarm.Calibration is null)
        {
            Add(path, "an alarm needs a threshold or a calibration.", "Add \"threshold\": 0.8, or \"calibration\": { \"samples\": 400, \"quantile\": 0.99, \"factor\": 2.5 }.");
        }

        if (alarm.Threshold is { } threshold && alarm.Calibration is not null)
        {
            Add($"{path}.threshold", $"threshold {Num(threshold)} is given but the calibration sets it.", "Remove one of them.");
        }

        if (alarm.ClearThreshold is { } clear && alarm.Threshold is { } raise && clear > raise)
        {
            Add($"{path}.clearThreshold", $"clearThreshold {Num(clear)} is above threshold {Num(raise)}: the alarm would chatter.", "Set clearThreshold at or below threshold (hysteresis).");
        }

        if (alarm.ClearThreshold is not null && alarm.Calibration is not null)
        {
            Add($"{path}.clearThreshold", "clearThreshold is given but the calibration sets it.", "Use calibration.clearRatio instead.");
        }

        if (alarm.MinDurationSamples < 1)
        {
            Add($"{path}.minDurationSamples", "minDurationSamples must be at least 1.", "Use 1 to raise the alarm on the first high score.");
        }

        if (!(alarm.SmoothingAlpha > 0 && alarm.SmoothingAlpha <= 1))
        {
            Add($"{path}.smoothingAlpha", $"smoothingAlpha {Num(alarm.SmoothingAlpha)} is outside (0, 1].", "Use 1 for no smoothing, 0.1 to average over about 10 samples.");
        }

        if (alarm.Score == AlarmScore.Output && string.IsNullOrWhiteSpace(alarm.Output))
        {
            Add($"{path}.output", "score \"output\" needs the name of the output to score.", "Add e.g. \"output\": \"cavitation\".");
        }

        if (alarm.Score != AlarmScore.Output && alarm.Output is not null)
        {
            Add($"{path}.output", $"output is only used with score \"output\", not \"{JsonNamingPolicy.CamelCase.ConvertName(alarm.Score.ToString())}\".", "Remove output, or set \"score\": \"output\".");
        }

        if (alarm.Calibration is { } c)
        {
            if (c.Samples is < 1 or > 10_000_000)
            {
                Add($"{path}.calibration.samples", $"samples {c.Samples} is outside 1–10000000.", "Calibrate on a few hundred samples of normal operation, e.g. 400.");
            }

            if (!(c.Quantile > 0 && c.Quantile <= 1))
            {
                Add($"{path}.calibration.quantile", $"quantile {Num(c.Quantile)} is outside (0, 1].", "Use e.g. 0.99.");
            }

            if (!(c.Factor > 0) || double.IsInfinity(c.Factor))
            {
                Add($"{path}.calibration.factor", $"factor {Num(c.Factor)} is not a positive number.", "Use e.g. 2.5.");
            }

            if (!(c.ClearRatio > 0 && c.ClearRatio <= 1))
            {
                Add($"{path}.calibration.clearRatio", $"clearRatio {Num(c.ClearRatio)} is outside (0, 1].", "Use e.g. 0.75.");
            }
        }
    }

    private void ValidateRuntimeSections()
    {
        if (config.Model is { } model && string.IsNullOrWhiteSpace(model.Path))
        {
            Add("$.model.path", "the model path is empty.", "Point to the .elstm file, relative to this config.");
        }

        if (config.Decision is { } decision)
        {
            if (decision.Alarms is { } alarms)
            {
                bool inline = decision.Threshold is not null || decision.Calibration is not null || decision.Output is not null || decision.Name is not null;
                if (inline)
                {
                    Add("$.decision", "both inline alarm fields and an alarms list are given.", "Move the inline fields into an entry of \"alarms\".");
                }

                if (alarms.Count == 0)
                {
                    Add("$.decision.alarms", "the alarms list is empty.", "Remove \"alarms\" or add at least one alarm.");
                }

                var names = new HashSet<string>(StringComparer.Ordinal);
                for (int i = 0; i < alarms.Count; i++)
                {
                    ValidateAlarm(alarms[i], $"$.decision.alarms[{i}]");
                    string name = alarms[i].Name ?? alarms[i].Output ?? "anomaly";
                    if (!names.Add(name))
                    {
                        Add($"$.decision.alarms[{i}].name", $"the alarm name '{name}' is used twice.", "Give each alarm its own name.");
                    }
                }
            }
            else
            {
                ValidateAlarm(decision, "$.decision");
            }
        }

        IReadOnlyList<SinkConfig> sinks = config.Sinks ?? [];
        for (int i = 0; i < sinks.Count; i++)
        {
            SinkConfig s = sinks[i];
            string p = $"$.sinks[{i}]";
            switch (s.Type)
            {
                case SinkKind.File when string.IsNullOrWhiteSpace(s.Path):
                    Add($"{p}.path", "a file sink needs a path.", "Add \"path\": \"/var/log/edgelstm/frames.bin\".");
                    break;
                case SinkKind.Tcp or SinkKind.Udp when string.IsNullOrWhiteSpace(s.Host) || s.Port is not (>= 1 and <= 65535):
                    Add(p, $"a {s.Type.ToString().ToLowerInvariant()} sink needs host and a port 1–65535.", "Add \"host\": \"collector.local\", \"port\": 7000.");
                    break;
                case SinkKind.Serial when string.IsNullOrWhiteSpace(s.Device) || s.BaudRate is not > 0:
                    Add(p, "a serial sink needs device and baudRate.", "Add \"device\": \"/dev/ttyAMA0\", \"baudRate\": 115200.");
                    break;
            }
        }

        if (config.Health is { } health && !(health.IntervalSeconds > 0))
        {
            Add("$.health.intervalSeconds", "the health interval must be positive.", "Use e.g. 10.");
        }
    }

    private void ClaimPin(int pin, string path, string user)
    {
        bool raspberryPi = config.Board.Hardware is BoardHardware.RaspberryPi4 or BoardHardware.RaspberryPi5;
        if (pin < 0 || (raspberryPi && pin > ChipLimits.RaspberryPiMaxGpio))
        {
            Add(path, $"GPIO {pin} does not exist{(raspberryPi ? " on the Raspberry Pi header" : "")}.", raspberryPi ? "Use BCM numbers 0–27 (not physical pin numbers)." : "Use a non-negative GPIO number.");
            return;
        }

        if (!_pins.TryAdd(pin, user))
        {
            Add(path, $"GPIO {pin} for {user} is already taken by {_pins[pin]}.", "Each pin can have one use; move one of them to a free GPIO.");
        }
    }

    private static Iot.Device.Bmxx80.Sampling OversamplingOf(int x) => x switch
    {
        1 => Iot.Device.Bmxx80.Sampling.UltraLowPower,
        2 => Iot.Device.Bmxx80.Sampling.LowPower,
        4 => Iot.Device.Bmxx80.Sampling.Standard,
        8 => Iot.Device.Bmxx80.Sampling.HighResolution,
        _ => Iot.Device.Bmxx80.Sampling.UltraHighResolution,
    };

    internal static Iot.Device.Bmxx80.Sampling Oversampling(int x) => OversamplingOf(x);

    private void Add(string path, string message, string hint) => problems.Add(new ConfigProblem(path, message, hint));

    private static string Num(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);

    private static string List<T>(IEnumerable<T> values) =>
        string.Join(", ", values.Select(v => v is string s ? $"'{s}'" : string.Create(CultureInfo.InvariantCulture, $"{v}")));
}
