using System.Reflection;
using System.Security.Claims;
using EdgeLstm.Collector.Monitor.Auth;
using EdgeLstm.Collector.Monitor.Pages;
using EdgeLstm.Collector.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeLstm.Collector.Monitor;

/// <summary>
/// The web monitor inside <c>edgelstm-collector run</c>: Kestrel with minimal APIs over the collector's own store.
/// Pages are built as strings (<see cref="Html"/> encodes every board string); the style sheet and script are
/// embedded in the assembly, so nothing is fetched from elsewhere. With users, every page needs a cookie login.
/// </summary>
internal sealed class MonitorServer : IDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private MonitorServer(WebApplication app) => _app = app;

    /// <summary>Where to point a browser (known once started: the port may have been 0).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Starts listening; throws <see cref="IOException"/> when the endpoint cannot be bound.</summary>
    public static MonitorServer Start(IFrameStore store, IMonitorStore monitor, MonitorOptions options, TimeProvider clock)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "edgelstm-collector" });
        builder.Logging.ClearProviders(); // the collector prints its own lines
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(options.Endpoint, listen =>
        {
            if (options.Certificate is { } certificate) listen.UseHttps(certificate);
        }));
        bool login = options.Users is not null;
        if (login)
        {
            builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
            {
                cookie.LoginPath = "/login";
                cookie.Cookie.Name = "edgelstm-monitor";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                // Over HTTPS the browser never sends the login cookie in clear.
                cookie.Cookie.SecurePolicy = options.Certificate is null ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                cookie.SlidingExpiration = true;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            });
            builder.Services.AddAuthorization();
        }
        WebApplication app = builder.Build();
        if (login)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        var server = new MonitorServer(app);
        app.MapGet("/assets/{name}", (string name) => Asset(name)).AllowAnonymous();
        if (options.Users is UsersFile users) MapLogin(app, users);
        RouteGroupBuilder pages = app.MapGroup("");
        if (login) pages.RequireAuthorization();
        server.MapPages(pages, store, monitor, clock);
        app.StartAsync().GetAwaiter().GetResult();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    private void MapPages(RouteGroupBuilder pages, IFrameStore store, IMonitorStore monitor, TimeProvider clock)
    {
        pages.MapGet("/", (HttpContext c) => Page(FleetPage.Render(store, monitor, c.Request.Query["sort"], c.Request.Query["desc"] == "1", User(c))));
        pages.MapGet("/alarms", (HttpContext c) => Page(AlarmsPage.Render(store, monitor, clock.GetUtcNow(), User(c))));
        pages.MapGet("/devices/{id}", (string id, HttpContext c) =>
        {
            id = DeviceId(id);
            if (!TimeRangeQuery.TryRead(c.Request.Query, monitor, id, clock.GetUtcNow().ToUnixTimeMilliseconds(), out TimeRange range)) return Results.BadRequest("from and to must be ISO-8601 times");
            string? page = DevicePage.Render(store, monitor, id, range, clock.GetUtcNow(), User(c));
            return page is null ? Results.NotFound($"no device {id}") : Page(page);
        });
        pages.MapGet("/devices/{id}/events", (string id, HttpContext c) =>
            TimeRangeQuery.TryRead(c.Request.Query, monitor, DeviceId(id), clock.GetUtcNow().ToUnixTimeMilliseconds(), out TimeRange range)
                ? DeviceEvents.Stream(c, store, DeviceId(id), range, _stopping.Token)
                : Results.BadRequest("from and to must be ISO-8601 times").ExecuteAsync(c));
        pages.MapPost("/alarms/notes", async (HttpContext c) =>
        {
            if (!OriginCheck.IsSameOrigin(c.Request)) return Results.StatusCode(StatusCodes.Status403Forbidden);
            IFormCollection form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            string note = form["note"].ToString().Trim();
            string author = User(c) ?? form["author"].ToString().Trim();
            if (!ulong.TryParse(form["sequence"], out ulong sequence) || form["device"].ToString() is not { Length: > 0 } device
                || note.Length is 0 or > 1000 || author.Length is 0 or > 100)
            {
                return Results.BadRequest("device, sequence, a note (≤ 1000 characters) and an author (≤ 100) are needed");
            }
            monitor.AddAlarmNote(new AlarmNoteRecord(device, sequence, note, author, clock.GetUtcNow().ToUnixTimeMilliseconds()));
            return Results.Redirect("/alarms", permanent: false, preserveMethod: false);
        });
    }

    private static void MapLogin(WebApplication app, UsersFile users)
    {
        app.MapGet("/login", (string? returnUrl, bool? failed) => Page(LoginPage.Render(LoginPage.SafeReturnUrl(returnUrl), failed == true))).AllowAnonymous();
        app.MapPost("/login", async (HttpContext c) =>
        {
            if (!OriginCheck.IsSameOrigin(c.Request)) return Results.StatusCode(StatusCodes.Status403Forbidden);
            IFormCollection form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            string name = form["name"].ToString();
            string returnUrl = LoginPage.SafeReturnUrl(form["returnUrl"]);
            if (!users.Verify(name, form["password"].ToString()))
                return Results.Redirect($"/login?failed=true&returnUrl={Uri.EscapeDataString(returnUrl)}");
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], CookieAuthenticationDefaults.AuthenticationScheme);
            await c.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
            return Results.Redirect(returnUrl);
        }).AllowAnonymous();
        app.MapPost("/logout", async (HttpContext c) =>
        {
            if (!OriginCheck.IsSameOrigin(c.Request)) return Results.StatusCode(StatusCodes.Status403Forbidden);
            await c.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect("/login");
        });
    }

    /// <summary>A device id from its route value: the server decodes every escape of a path but %2F ('/'), which a device id may hold.</summary>
    private static string DeviceId(string routeValue) => routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where a range without <c>from</c> ends: the device's newest prediction (its clock may be far from ours), else now.</summary>
    private static string? User(HttpContext context) => context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;

    private static IResult Page(string html) => Results.Content(html, "text/html; charset=utf-8");

    private static IResult Asset(string name)
    {
        Stream? resource = typeof(MonitorServer).Assembly.GetManifestResourceStream("monitor/" + name);
        if (resource is null) return Results.NotFound();
        string type = Path.GetExtension(name) switch { ".css" => "text/css; charset=utf-8", ".js" => "text/javascript; charset=utf-8", _ => "application/octet-stream" };
        return Results.Stream(resource, type);
    }

    /// <summary>Ends the live streams and stops Kestrel, letting requests in flight finish (bounded).</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5))) _app.StopAsync(grace.Token).GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
        _stopping.Dispose();
    }
}
