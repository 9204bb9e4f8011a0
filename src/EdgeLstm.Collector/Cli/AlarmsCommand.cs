using System.CommandLine;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Cli;

/// <summary><c>edgelstm-collector alarms [--device ID] [--open]</c>: alarm changes as CSV.</summary>
internal static class AlarmsCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        Option<string> store = CollectorCli.StoreOption();
        var device = new Option<string?>("--device", "-d") { Description = "Only this device's alarms." };
        var open = new Option<bool>("--open") { Description = "Only alarms still raised: the latest change of their (device, class) is a raise." };
        var command = new Command("alarms", "List alarms raised and cleared (CSV).") { store, device, open };
        command.SetAction(result =>
        {
            TextWriter output = result.InvocationConfiguration.Output;
            using IFrameStore? frames = StoreOpener.Open(result.GetValue(store)!, mustExist: true, result.InvocationConfiguration.Error);
            if (frames is null) return ExitCodes.BadInput;
            AlarmCsv.Header(output, withDevice: true);
            foreach (AlarmRecord alarm in frames.Alarms(result.GetValue(device), result.GetValue(open))) AlarmCsv.Row(output, alarm, withDevice: true);
            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>The CSV form of alarms, shared by <c>alarms</c> and <c>export --frames alarms</c>.</summary>
internal static class AlarmCsv
{
    /// <summary>The header row.</summary>
    public static void Header(TextWriter output, bool withDevice) =>
        Csv.Row(output, [.. withDevice ? ["device"] : Array.Empty<string>(), "time_utc", "sequence", "raised", "class_index", "score", "duration_ms", "degraded", "historical"]);

    /// <summary>One alarm.</summary>
    public static void Row(TextWriter output, AlarmRecord a, bool withDevice) =>
        Csv.Row(output, [.. withDevice ? [Csv.Field(a.DeviceId)] : Array.Empty<string>(), Csv.Time(a.TimeUnixMs), Csv.Number(a.Sequence), a.Raised ? "raised" : "cleared",
            Csv.Number(a.ClassIndex), Csv.Number(a.Score), Csv.Number(a.DurationMs), a.Degraded ? "1" : "0", a.Historical ? "1" : "0"]);
}
