using System.Text;

namespace EdgeLstm.Collector.Monitor.Pages;

/// <summary>The frame of every page: head (the embedded style sheet and script), navigation, and the signed-in user.</summary>
internal static class Layout
{
    /// <summary>A whole HTML document around <paramref name="body"/> (already encoded HTML).</summary>
    public static string Render(string title, string active, string body, string? user)
    {
        var html = new StringBuilder(body.Length + 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Html.Encode(title)).Append(" · EdgeLstm monitor</title>")
            .Append("<link rel=\"stylesheet\" href=\"/assets/monitor.css\"><script src=\"/assets/monitor.js\" defer></script></head><body>")
            .Append("<header><span class=\"brand\">EdgeLstm monitor</span><nav>")
            .Append(NavLink("/", "Fleet", active)).Append(NavLink("/alarms", "Alarms", active)).Append("</nav>");
        if (user is not null)
        {
            html.Append("<form class=\"signout\" method=\"post\" action=\"/logout\"><span>").Append(Html.Encode(user))
                .Append("</span> <button type=\"submit\">Sign out</button></form>");
        }
        html.Append("</header><main>").Append(body).Append("</main></body></html>");
        return html.ToString();
    }

    private static string NavLink(string href, string text, string active) =>
        $"<a href=\"{href}\"{(text == active ? " class=\"active\"" : "")}>{text}</a>";
}
