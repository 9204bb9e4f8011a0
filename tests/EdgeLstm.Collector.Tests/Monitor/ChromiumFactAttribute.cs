namespace EdgeLstm.Collector.Tests.Monitor;

/// <summary>A browser test: skipped, saying why, when Debian's chromium or chromedriver is missing (CI installs both and fails on a skip).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(Browser.ChromiumPath) || !File.Exists(Browser.DriverPath))
            Skip = $"needs {Browser.ChromiumPath} and {Browser.DriverPath} (apt-get install chromium chromium-driver)";
    }
}
