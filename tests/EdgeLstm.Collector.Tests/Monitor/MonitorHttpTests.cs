using System.Net;
using EdgeLstm.Collector.Cli;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Core;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Tests.Monitor;

/// <summary>The monitor over HTTP: pages, status codes, escaping, notes, login, and the options of <c>run</c>.</summary>
public sealed class MonitorHttpTests
{
    private const string ScriptId = "<script>alert(1)</script>";

    private static MonitorRig StartWithPump(params string[] extra)
    {
        var rig = new MonitorRig();
        rig.Commit("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Prediction(2), Frames.Alarm(3, raised: true), Frames.Health(4));
        return rig.Start(extra);
    }

    private static (HttpStatusCode Status, string Body, Uri? Location) Get(HttpClient client, string path) => Send(client, new HttpRequestMessage(HttpMethod.Get, path));

    private static (HttpStatusCode Status, string Body, Uri? Location) Send(HttpClient client, HttpRequestMessage request)
    {
        using HttpResponseMessage response = client.SendAsync(request).GetAwaiter().GetResult();
        return (response.StatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult(), response.Headers.Location);
    }

    private static HttpRequestMessage Form(MonitorRig rig, string path, Dictionary<string, string> fields, bool sameOrigin = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        if (sameOrigin) request.Headers.Add("Origin", rig.Url.GetLeftPart(UriPartial.Authority));
        return request;
    }

    [Fact]
    public void The_pages_answer_and_an_unknown_device_or_a_bad_time_is_an_error()
    {
        using MonitorRig rig = StartWithPump();
        using HttpClient client = rig.Client();
        (HttpStatusCode status, string fleet, _) = Get(client, "/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("href=\"/devices/pump-07\"", fleet, StringComparison.Ordinal);
        Assert.Contains("1 open", fleet, StringComparison.Ordinal);
        Assert.Contains("1 read errors", fleet, StringComparison.Ordinal);
        (status, string device, _) = Get(client, "/devices/pump-07");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<polyline", device, StringComparison.Ordinal);
        // The latest Health's thresholds: the classifier's first rule at 0.8 (raise, solid) and 0.6 (clear, dashed); its second rule is not commissioned yet.
        Assert.Contains("<line class=\"threshold\" stroke=\"#495057\" data-value=\"0.8\"", device, StringComparison.Ordinal);
        Assert.Contains("<line class=\"threshold\" stroke=\"#495057\" stroke-dasharray=\"6 4\" data-value=\"0.6\"", device, StringComparison.Ordinal);
        Assert.Contains(">rule 1 raise threshold</text>", device, StringComparison.Ordinal);
        Assert.DoesNotContain("rule 2", device, StringComparison.Ordinal);
        Assert.Contains("bearing-lstm@3f2a", device, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, Get(client, "/alarms").Status);
        Assert.Equal(HttpStatusCode.OK, Get(client, "/assets/monitor.css").Status);
        Assert.Equal(HttpStatusCode.NotFound, Get(client, "/devices/nobody").Status);
        Assert.Equal(HttpStatusCode.BadRequest, Get(client, "/devices/pump-07?from=yesterday").Status);
        Assert.Equal(HttpStatusCode.OK, Get(client, "/devices/pump-07?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z").Status);
    }

    [Fact]
    public void The_device_page_lists_updates_newest_first_beside_the_pushes_and_the_fleet_flags_a_refused_one()
    {
        var rig = new MonitorRig();
        rig.Commit("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Event(2, BoardEventKind.UpdateApplied, "model 1f0e2d3c4b5a6978 applied", version: 5),
            Frames.Event(3, BoardEventKind.UpdateRefused, ScriptId, version: 4));
        rig.Commit("fan-11", Frames.Hello(0, device: "fan-11"), Frames.Event(1, BoardEventKind.UpdateRefused, "expired", version: 9), Frames.Event(2, BoardEventKind.UpdateApplied, "ok", version: 10));
        using (var store = new EdgeLstm.Collector.Storage.Sqlite.SqliteFrameStore(rig.StorePath))
        {
            store.RecordPush(new PushRecord("pump-07", "model", 5, "1f0e2d3c4b5a6978", "", new string('c', 64), (long)Frames.Epoch + 15, (long)Frames.Epoch + 3_600_015));
        }
        using (rig.Start())
        using (HttpClient client = rig.Client())
        {
            (_, string device, _) = Get(client, "/devices/pump-07");
            string updates = device[device.IndexOf("<table class=\"updates\"", StringComparison.Ordinal)..];
            updates = updates[..updates.IndexOf("</table>", StringComparison.Ordinal)];
            // Newest first: the refusal (board time 30 ms), the application (20 ms), the push (15 ms).
            int refused = updates.IndexOf(">refused<", StringComparison.Ordinal), applied = updates.IndexOf(">applied<", StringComparison.Ordinal), pushed = updates.IndexOf(">pushed model<", StringComparison.Ordinal);
            Assert.True(refused >= 0 && refused < applied && applied < pushed, updates);
            Assert.Contains(WebUtility.HtmlEncode(ScriptId), updates, StringComparison.Ordinal);
            Assert.DoesNotContain(ScriptId, device, StringComparison.Ordinal);
            Assert.Contains($"<time datetime=\"{EdgeLstm.Collector.Monitor.Html.Time((long)Frames.Epoch + 30)}\"", updates, StringComparison.Ordinal);
            Assert.Contains("signed by key cccccccccccccccc…", updates, StringComparison.Ordinal);

            (_, string fleet, _) = Get(client, "/");
            string pumpRow = fleet[fleet.IndexOf("data-device=\"pump-07\"", StringComparison.Ordinal)..];
            pumpRow = pumpRow[..pumpRow.IndexOf("</tr>", StringComparison.Ordinal)];
            Assert.Contains("bearing-lstm@3f2a <span class=\"badge warning update-failed\"", pumpRow, StringComparison.Ordinal);
            Assert.Contains(">update refused</span>", pumpRow, StringComparison.Ordinal);
            string fanRow = fleet[fleet.IndexOf("data-device=\"fan-11\"", StringComparison.Ordinal)..];
            Assert.DoesNotContain("update-failed", fanRow[..fanRow.IndexOf("</tr>", StringComparison.Ordinal)], StringComparison.Ordinal); // its last update applied
            Assert.DoesNotContain(ScriptId, fleet, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_device_id_with_markup_is_shown_encoded_everywhere()
    {
        var rig = new MonitorRig();
        rig.Commit(ScriptId, Frames.Hello(0, device: ScriptId), Frames.Prediction(1), Frames.Alarm(2, raised: true));
        using (rig.Start())
        using (HttpClient client = rig.Client())
        {
            foreach (string path in (string[])["/", "/alarms", "/devices/" + Uri.EscapeDataString(ScriptId)])
            {
                (HttpStatusCode status, string body, _) = Get(client, path);
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.DoesNotContain(ScriptId, body, StringComparison.Ordinal);
                Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", body, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_note_posted_from_the_page_is_stored_and_shown_and_one_from_elsewhere_is_refused()
    {
        using MonitorRig rig = StartWithPump();
        using HttpClient client = rig.Client();
        var fields = new Dictionary<string, string> { ["device"] = "pump-07", ["sequence"] = "3", ["note"] = "Checked the <bearing>", ["author"] = "ana" };
        Assert.Equal(HttpStatusCode.Forbidden, Send(client, Form(rig, "/alarms/notes", fields, sameOrigin: false)).Status);
        (HttpStatusCode status, _, Uri? location) = Send(client, Form(rig, "/alarms/notes", fields));
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Equal("/alarms", location?.OriginalString);
        string alarms = Get(client, "/alarms").Body;
        Assert.Contains("Checked the &lt;bearing&gt;", alarms, StringComparison.Ordinal);
        Assert.Contains("— ana,", alarms, StringComparison.Ordinal);
        Assert.Contains("Checked the &lt;bearing&gt;", Get(client, "/devices/pump-07").Body, StringComparison.Ordinal);
        fields["note"] = "";
        Assert.Equal(HttpStatusCode.BadRequest, Send(client, Form(rig, "/alarms/notes", fields)).Status);
    }

    [Fact]
    public void With_users_every_page_needs_a_login_and_the_right_password_opens_them()
    {
        var rig = new MonitorRig();
        string users = Path.Combine(rig.Folder, "users");
        Assert.Equal(ExitCodes.Success, CollectorCli.Invoke(["user", "add", "ana", "--users", users], new StringReader("s3cret\n"), new StringWriter(), new StringWriter()));
        Assert.StartsWith("ana:pbkdf2-sha256$600000$", File.ReadAllText(users), StringComparison.Ordinal);
        rig.Commit("pump-07", Frames.Hello(0), Frames.Prediction(1));
        using (rig.Start("--users", users))
        using (HttpClient client = rig.Client())
        {
            foreach (string path in (string[])["/", "/alarms", "/devices/pump-07", "/devices/pump-07/events"])
            {
                (HttpStatusCode status, _, Uri? location) = Get(client, path);
                Assert.Equal(HttpStatusCode.Redirect, status);
                Assert.StartsWith("/login", location?.AbsolutePath ?? location?.OriginalString, StringComparison.Ordinal);
            }
            Assert.Equal(HttpStatusCode.OK, Get(client, "/login").Status);
            (_, _, Uri? wrong) = Send(client, Form(rig, "/login", new() { ["name"] = "ana", ["password"] = "guess", ["returnUrl"] = "/alarms" }));
            Assert.Contains("failed=true", wrong?.OriginalString, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, Get(client, "/").Status);
            (_, _, Uri? back) = Send(client, Form(rig, "/login", new() { ["name"] = "ana", ["password"] = "s3cret", ["returnUrl"] = "//evil.example/" }));
            Assert.Equal("/", back?.OriginalString);
            (HttpStatusCode status2, string fleet, _) = Get(client, "/");
            Assert.Equal(HttpStatusCode.OK, status2);
            Assert.Contains("ana", fleet, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--http", "0.0.0.0:0")]
    [InlineData("--http", "localhost")]
    [InlineData("--http", "127.0.0.1:70000")]
    [InlineData("--no-http", "--http", "127.0.0.1:0")]
    [InlineData("--users", "/nonexistent/users")]
    [InlineData("--require-login")]
    [InlineData("--http-cert", "/nonexistent/monitor.pem", "--http-key", "/nonexistent/monitor.key")]
    [InlineData("--http-cert", "/nonexistent/monitor.pem")]
    public void A_bad_monitor_option_or_an_open_address_without_users_is_one_line_and_exit_2(params string[] args)
    {
        using var database = new TempDatabase();
        var error = new StringWriter();
        int exit = CollectorCli.Invoke(["run", "--tcp-port", "0", "--no-mqtt", "--store", database.Path, .. args], new StringWriter(), error);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Live_events_stream_the_chart()
    {
        using MonitorRig rig = StartWithPump();
        using HttpClient client = rig.Client();
        string first = LiveEvents.FirstEvent(client, "/devices/pump-07/events", MonitorRig.Patience);
        Assert.StartsWith("event: frames", first, StringComparison.Ordinal);
        Assert.Contains("\"predictions\":2", first, StringComparison.Ordinal);
    }
}
