using System.Globalization;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Sqlite;
using EdgeLstm.Collector.Tests.Fleet;
using OpenQA.Selenium;

namespace EdgeLstm.Collector.Tests.Monitor;

/// <summary>The monitor in a real browser (headless Chromium): the demo board's data, live updates, notes, escaping.</summary>
public sealed class MonitorBrowserTests
{
    /// <summary>The demo recording's fault: its alarm is raised about 630 s into board time.</summary>
    private const double DemoAlarmBoardSeconds = 630;

    /// <summary>Runs the whole demo (fast clock) through the collector's embedded broker and waits until it is all stored.</summary>
    private static void ReplayDemo(MonitorRig rig, string deviceId)
    {
        using var board = DemoBoard.Start(rig.BrokerPort, deviceId);
        board.WaitForExit(MonitorRig.Patience);
        using var store = new SqliteFrameStore(rig.StorePath);
        Assert.True(SpinWait.SpinUntil(() => store.Predictions(deviceId, default).Count == DemoBoard.Predictions && store.Alarms(deviceId, false).Count == DemoBoard.Alarms,
            MonitorRig.Patience), $"the demo was not stored: {board.Log}\n{rig.Output}");
    }

    /// <summary>
    /// Runs two minutes of the simulated Pi 4 pump monitor (firmware-config/sim-synthetic-faults.json: commissioning on
    /// the first 30 s, the imbalance alarm raised at 87.4 s) through the embedded broker and waits until its alarm is stored.
    /// </summary>
    private static void ReplaySyntheticFaults(MonitorRig rig, string deviceId)
    {
        string config = Repository.Path("firmware-config", "sim-synthetic-faults.json");
        using var board = DemoBoard.Start(rig.BrokerPort, deviceId, duration: TimeSpan.FromSeconds(120), config: config);
        board.WaitForExit(MonitorRig.Patience);
        using var store = new SqliteFrameStore(rig.StorePath);
        Assert.True(SpinWait.SpinUntil(() => store.Alarms(deviceId, openOnly: true).Count > 0, MonitorRig.Patience), $"the synthetic-faults alarm was not stored: {board.Log}\n{rig.Output}");
    }

    private static int PointCount(IWebDriver driver) =>
        driver.FindElements(By.CssSelector("#live-chart polyline")).Sum(p => int.Parse(p.GetAttribute("data-points")!, CultureInfo.InvariantCulture));

    [ChromiumFact]
    public void Screenshot_the_demo_board_shows_on_the_fleet_page_and_its_alarm_at_630_s_on_a_drawn_chart()
    {
        using var rig = new MonitorRig();
        // Neighbours for the fleet page: one offline, one with health warnings.
        rig.Commit("press-02", Frames.Hello(0, device: "press-02"), Frames.Prediction(1), Frames.Health(2));
        rig.Commit("fan-11", Frames.Hello(0, device: "fan-11"), Frames.Prediction(1));
        rig.Status("fan-11", online: false);
        rig.Start();
        ReplayDemo(rig, "demo-pump");
        ReplaySyntheticFaults(rig, "pump-house-sim");
        AlarmRecord raised;
        using (var store = new SqliteFrameStore(rig.StorePath)) raised = store.Alarms("demo-pump", false).First(a => a.Raised);

        using var browser = new Browser();
        browser.Open(rig.Url);
        IWebElement[] rows = [.. browser.Driver.FindElements(By.CssSelector("table.fleet tbody tr"))];
        Assert.Equal(["demo-pump", "fan-11", "press-02", "pump-house-sim"], rows.Select(r => r.GetAttribute("data-device")).Order(StringComparer.Ordinal));
        // The synthetic-faults board's imbalance alarm is open at the end of its two minutes: it sorts first.
        Assert.Equal("pump-house-sim", rows[0].GetAttribute("data-device"));
        browser.ScreenshotForDocs("monitor-fleet.png");

        browser.Driver.FindElement(By.LinkText("demo-pump")).Click();
        browser.WaitUntil(d => d.FindElements(By.CssSelector("#live-chart polyline")).Count > 0, "the chart");
        Assert.True(PointCount(browser.Driver) >= DemoBoard.Predictions, $"{PointCount(browser.Driver)} points drawn");
        Assert.NotEmpty(browser.Driver.FindElements(By.CssSelector("#live-chart rect.alarm-band")));
        // The commissioned thresholds (raise ≈ 2.1977, clear 0.75 × that) on the normalized score's scale: the score is residual / (2 × raise).
        IWebElement[] thresholds = [.. browser.Driver.FindElements(By.CssSelector("#live-chart line.threshold"))];
        Assert.Equal(["0.5", "0.375"], thresholds.Select(l => l.GetAttribute("data-value")));
        Assert.Equal([null, "6 4"], thresholds.Select(l => l.GetAttribute("stroke-dasharray")));
        IWebElement alarmRow = browser.Driver.FindElement(By.CssSelector($"table.alarms tr[data-sequence='{raised.Sequence}']"));
        IWebElement time = alarmRow.FindElement(By.TagName("time"));
        Assert.Equal(raised.TimeUnixMs, long.Parse(time.GetAttribute("data-unix-ms")!, CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(raised.TimeUnixMs!.Value).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), time.Text);
        double boardSeconds = double.Parse(alarmRow.FindElement(By.CssSelector(".board-time")).Text.Replace(" s", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        Assert.InRange(boardSeconds, DemoAlarmBoardSeconds - 15, DemoAlarmBoardSeconds + 15);
        browser.WaitUntil(d => d.FindElement(By.Id("live-status")).Text.StartsWith("live", StringComparison.Ordinal), "the live stream");
        browser.ScreenshotForDocs("monitor-device.png");
    }

    [ChromiumFact]
    public void New_frames_appear_on_an_open_device_page_without_a_reload()
    {
        using var rig = new MonitorRig();
        rig.Commit("live-01", Frames.Hello(0, device: "live-01"), Frames.Prediction(1), Frames.Prediction(2));
        rig.Start();
        using var browser = new Browser();
        browser.Open(new Uri(rig.Url, "/devices/live-01"));
        browser.WaitUntil(d => d.FindElement(By.Id("live-status")).Text.StartsWith("live", StringComparison.Ordinal), "the live stream");
        int before = PointCount(browser.Driver);
        IWebElement marker = browser.Driver.FindElement(By.TagName("h1"));
        for (ulong sequence = 3; sequence < 13; sequence++) rig.Commit("live-01", Frames.Prediction(sequence)); // as a board streaming
        browser.WaitUntil(d => d.FindElement(By.Id("point-count")).Text == "12", "12 predictions on the page");
        Assert.True(PointCount(browser.Driver) > before, $"{PointCount(browser.Driver)} points, {before} before");
        Assert.True(marker.Displayed); // the same document: no reload happened (a reload would make the element stale)
    }

    [ChromiumFact]
    public void An_acknowledged_alarm_shows_its_note_after_a_reload()
    {
        using var rig = new MonitorRig();
        rig.Commit("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Alarm(2, raised: true));
        rig.Start();
        using var browser = new Browser();
        browser.Open(new Uri(rig.Url, "/alarms"));
        IWebElement form = browser.Driver.FindElement(By.CssSelector("tr[data-sequence='2'] form.ack"));
        form.FindElement(By.Name("author")).SendKeys("ana");
        form.FindElement(By.Name("note")).SendKeys("Bearing replaced");
        form.FindElement(By.TagName("button")).Click();
        browser.WaitUntil(d => d.FindElements(By.CssSelector(".note-text")).Count > 0, "the note");
        browser.Driver.Navigate().Refresh();
        Assert.Equal("Bearing replaced", browser.Driver.FindElement(By.CssSelector("tr[data-sequence='2'] .note-text")).Text);
    }

    [ChromiumFact]
    public void A_board_event_whose_message_is_a_script_is_listed_as_text_and_runs_nothing()
    {
        const string message = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        using var rig = new MonitorRig();
        rig.Commit("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Event(2, EdgeLstm.Protocol.BoardEventKind.UpdateRolledBack, message, version: 12));
        rig.Start();
        using var browser = new Browser();
        browser.Open(new Uri(rig.Url, "/devices/pump-07"));
        browser.WaitUntil(d => d.FindElements(By.CssSelector("table.updates tr.event")).Count > 0, "the updates table");
        Assert.Throws<NoAlertPresentException>(() => browser.Driver.SwitchTo().Alert());
        IWebElement row = browser.Driver.FindElement(By.CssSelector("table.updates tr.event[data-sequence='2']"));
        Assert.Equal(message, row.FindElement(By.CssSelector("td.message")).Text);
        Assert.Equal("rolled back", row.FindElement(By.CssSelector(".badge")).Text);
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("table.updates script, table.updates img")));
    }

    [ChromiumFact]
    public void A_device_named_like_a_script_is_shown_as_text_and_runs_nothing()
    {
        const string name = "<script>alert(1)</script>";
        using var rig = new MonitorRig();
        rig.Commit(name, Frames.Hello(0, device: name), Frames.Prediction(1), Frames.Alarm(2, raised: true));
        rig.Start();
        using var browser = new Browser();
        foreach (Uri page in (Uri[])[rig.Url, new Uri(rig.Url, "/alarms")])
        {
            browser.Open(page);
            Assert.Throws<NoAlertPresentException>(() => browser.Driver.SwitchTo().Alert());
            Assert.Equal(name, browser.Driver.FindElement(By.CssSelector("a[href^='/devices/']")).Text);
        }
        browser.Driver.FindElement(By.CssSelector("a[href^='/devices/']")).Click();
        browser.WaitUntil(d => d.FindElements(By.CssSelector("h1.device-id")).Count > 0, "the device page");
        Assert.Throws<NoAlertPresentException>(() => browser.Driver.SwitchTo().Alert());
        Assert.StartsWith(name, browser.Driver.FindElement(By.CssSelector("h1.device-id")).Text, StringComparison.Ordinal);
    }
}
