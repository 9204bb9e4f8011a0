namespace EdgeLstm.Collector.Monitor.Pages;

/// <summary><c>/login</c>: name and password, then back to the page that asked.</summary>
internal static class LoginPage
{
    /// <summary>The form; <paramref name="failed"/> says the last attempt was wrong.</summary>
    public static string Render(string returnUrl, bool failed) => Layout.Render("Sign in", "", $"""
        <h1>Sign in</h1>
        {(failed ? "<p class=\"error\">Wrong name or password.</p>" : "")}
        <form class="login" method="post" action="/login">
        <input type="hidden" name="returnUrl" value="{Html.Encode(returnUrl)}">
        <label>Name <input name="name" autocomplete="username" required autofocus></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        <button type="submit">Sign in</button>
        </form>
        """, null);

    /// <summary>Only a local path is a place to return to (not <c>//evil.example</c>): no open redirect.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
