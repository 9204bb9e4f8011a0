namespace EdgeLstm.Sensors.Tests;

/// <summary>The fixtures copied beside the test assembly.</summary>
internal static class Fixtures
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);
}
