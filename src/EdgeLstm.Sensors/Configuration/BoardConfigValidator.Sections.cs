using System.Text.Json;
using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>Rules for the simulation sections and the runtime's sections.</summary>
internal sealed partial class BoardConfigValidator
{
    private void ValidateSimulation(DeviceConfig d, string path)
    {
        if (d.Simulation is not { } sim)
        {
            return;
        }

        IReadOnlyList<string> inputs = d.SimulatedInputs;
        foreach ((string name, SignalConfig signal) in sim.Inputs ?? new Dictionary<string, SignalConfig>())
        {
            string ip = $"{path}.simulation.inputs.{name}";
            if (!inputs.Contains(name, StringComparer.Ordinal))
            {
                Add(ip, $"'{name}' is not an input of a simulated {d.GetType().Name.Replace("Config", "", StringComparison.Ordinal)}.", inputs.Count == 0 ? "This device type takes no simulated inputs." : $"Use one of {List(inputs)}.");
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

            if (bus.BlockedFromSeconds is { } blockedFrom && !(blockedFrom >= 0 && blockedFrom < 1e9))
            {
                Add($"{path}.simulation.bus.blockedFromSeconds", $"blockedFromSeconds {Num(blockedFrom)} is outside 0 – 1e9 s.", "Times are seconds since the board started.");
            }

            if (bus.BlockedUntilSeconds is { } blockedUntil)
            {
                if (bus.BlockedFromSeconds is null)
                {
                    Add($"{path}.simulation.bus.blockedUntilSeconds", "blockedUntilSeconds is given without blockedFromSeconds.", "Add blockedFromSeconds: when the bus hangs.");
                }
                else if (!(blockedUntil > bus.BlockedFromSeconds && blockedUntil < 1e9))
                {
                    Add($"{path}.simulation.bus.blockedUntilSeconds", "the bus recovers before it hangs.", "blockedUntilSeconds must be later than blockedFromSeconds (omit it for a bus that never recovers).");
                }
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
            case FaultKind.Drift when f.GrowthPerSecond is null:
                Add(path, "a drift fault needs growthPerSecond.", "Add e.g. \"growthPerSecond\": 0.01 (the input's unit per second).");
                break;
        }

        if (f.EndSeconds is { } end && end <= f.StartSeconds)
        {
            Add($"{path}.endSeconds", "endSeconds is not after startSeconds.", "Omit endSeconds for a fault that never ends.");
        }
    }
}
