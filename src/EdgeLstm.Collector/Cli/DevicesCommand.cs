using System.CommandLine;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Cli;

/// <summary><c>edgelstm-collector devices</c>: every device the store knows, as CSV.</summary>
internal static class DevicesCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        Option<string> store = CollectorCli.StoreOption();
        var command = new Command("devices", "List the devices in the database: first and last seen, latest session and model, frames stored, open gaps, online status (CSV).") { store };
        command.SetAction(result =>
        {
            TextWriter output = result.InvocationConfiguration.Output;
            using IFrameStore? frames = StoreOpener.Open(result.GetValue(store)!, mustExist: true, result.InvocationConfiguration.Error);
            if (frames is null) return ExitCodes.BadInput;
            Csv.Row(output, ["device", "first_seen_utc", "last_seen_utc", "latest_session", "model", "highest_sequence", "frames", "open_gaps", "online", "status_changed_utc"]);
            foreach (DeviceRecord d in frames.Devices())
            {
                Csv.Row(output, [Csv.Field(d.DeviceId), Csv.Time(d.FirstSeenUnixMs), Csv.Time(d.LastSeenUnixMs), d.LatestSession is ulong s ? s.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) : "",
                    Csv.Field(d.ModelId ?? ""), d.HighestSequence is ulong h ? Csv.Number(h) : "", Csv.Number(d.Frames), Csv.Number(d.OpenGaps),
                    d.Online is bool online ? online ? "1" : "0" : "", Csv.Time(d.StatusChangedUnixMs)]);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
