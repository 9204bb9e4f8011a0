using System.Globalization;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Monitor.Pages;

/// <summary>The words and badges of a board's Events (<see cref="BoardEventKind"/>), shared by the device and fleet pages.</summary>
internal static class UpdateBadges
{
    /// <summary>An Event kind in words: applied, refused, rolled back; an unknown kind by its number.</summary>
    public static string Words(int kind) => kind switch
    {
        (int)BoardEventKind.UpdateApplied => "applied",
        (int)BoardEventKind.UpdateRefused => "refused",
        (int)BoardEventKind.UpdateRolledBack => "rolled back",
        _ => string.Create(CultureInfo.InvariantCulture, $"event {kind}"),
    };

    /// <summary>Whether the kind says an update did not take: refused or rolled back.</summary>
    public static bool Failed(int kind) => kind is (int)BoardEventKind.UpdateRefused or (int)BoardEventKind.UpdateRolledBack;

    /// <summary>The kind as a badge: green when applied, amber when it did not take, grey when unknown.</summary>
    public static string Event(int kind)
    {
        string style = kind == (int)BoardEventKind.UpdateApplied ? "ok" : Failed(kind) ? "warning" : "unknown";
        return $"<span class=\"badge {style}\">{Words(kind)}</span>";
    }
}
