using EdgeLstm.Sensors;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Cli;

/// <summary>Builds the board a command runs on, or says in one line why it cannot (the alarm pin, GPIO access).</summary>
internal static class BoardStart
{
    /// <summary>The board, or null having logged why it cannot start.</summary>
    public static SensorBoard? TryCreate(LoadedBoardConfig loaded, TextWriter log)
    {
        try
        {
            return SensorBoard.Create(loaded);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            log.WriteLine($"edgelstm: cannot start the board '{loaded.Config.Board.Name}': {e.Message}");
            return null;
        }
    }
}
