using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace EdgeLstm.Collector.Tests.Monitor;

/// <summary>
/// Headless Debian Chromium through its own chromedriver, at a fixed window size. Selenium is told where both are and
/// that it is offline, so Selenium Manager never downloads a browser or driver.
/// </summary>
internal sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly ChromeDriver _driver;

    public Browser()
    {
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        ChromeDriverService service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-US");
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        _driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
    }

    public IWebDriver Driver => _driver;

    public void Open(Uri url) => _driver.Navigate().GoToUrl(url);

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; fails with <paramref name="what"/> otherwise.</summary>
    public void WaitUntil(Func<IWebDriver, bool> condition, string what, TimeSpan? patience = null)
    {
        var wait = new WebDriverWait(_driver, patience ?? TimeSpan.FromSeconds(30)) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        try
        {
            wait.Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            Assert.Fail($"timed out waiting for {what}");
        }
    }

    /// <summary>Saves the window as a PNG when <c>EDGELSTM_WRITE_SCREENSHOTS=1</c> (the docs' screenshots).</summary>
    public void ScreenshotForDocs(string fileName)
    {
        if (Environment.GetEnvironmentVariable("EDGELSTM_WRITE_SCREENSHOTS") != "1") return;
        _driver.GetScreenshot().SaveAsFile(Repository.Path("docs", fileName));
    }

    public void Dispose() => _driver.Quit();
}
