using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using EdgeLstm.Collector.Ingest;
using EdgeLstm.Collector.Monitor;
using EdgeLstm.Collector.Monitor.Auth;

namespace EdgeLstm.Collector.Cli;

/// <summary>The web monitor's options of <c>run</c> (<c>--http</c>, <c>--no-http</c>, <c>--users</c>) and their validation.</summary>
internal sealed class HttpOptions
{
    /// <summary>The default: this machine only.</summary>
    public const string DefaultAddress = "127.0.0.1:8080";

    private readonly Option<string> _http = new("--http") { Description = $"Serve the web monitor on ADDRESS:PORT (port 0: any free port). An address other than loopback needs --users. Default: {DefaultAddress}.", DefaultValueFactory = _ => DefaultAddress };
    private readonly Option<bool> _noHttp = new("--no-http") { Description = "No web monitor." };
    private readonly Option<string?> _users = new("--users") { Description = "A users file (edgelstm-collector user add): every monitor page then needs a login." };
    private readonly Option<bool> _requireLogin = new("--require-login") { Description = "Refuse to serve the monitor without --users, on loopback too." };
    private readonly Option<string?> _cert = new("--http-cert") { Description = "Serve the monitor over HTTPS with this certificate (PEM). Needs --http-key." };
    private readonly Option<string?> _key = new("--http-key") { Description = "The private key (PEM) of --http-cert." };

    /// <summary>Every option, to add to the command.</summary>
    public IEnumerable<Option> All => [_http, _noHttp, _users, _requireLogin, _cert, _key];

    /// <summary>
    /// The monitor's options: <paramref name="plan"/> null and true without a monitor (<c>--no-http</c>); false with
    /// one line on <paramref name="error"/> when a value is wrong or a non-loopback address has no users.
    /// </summary>
    public bool TryRead(ParseResult result, TextWriter error, out MonitorOptions? plan)
    {
        plan = null;
        bool given = result.GetResult(_http) is { Implicit: false } || result.GetValue(_users) is not null || result.GetValue(_requireLogin)
            || result.GetValue(_cert) is not null || result.GetValue(_key) is not null;
        if (result.GetValue(_noHttp)) return !given || Fail(error, "--no-http cannot be combined with --http, --users, --require-login, --http-cert or --http-key.");
        string text = result.GetValue(_http)!;
        int colon = text.LastIndexOf(':');
        if (colon < 0 || !IPAddress.TryParse(text.AsSpan(0, colon).Trim('[').TrimEnd(']'), out IPAddress? address)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return Fail(error, $"--http must be ADDRESS:PORT (e.g. {DefaultAddress}, port 0…65535); got '{text}'.");
        }
        UsersFile? users = null;
        if (result.GetValue(_users) is string path && (users = UsersFile.Load(path, out string? problem)) is null) return Fail(error, $"--users: {problem}.");
        if (!IPAddress.IsLoopback(address) && users is null)
            return Fail(error, $"--http {text} is reachable from other machines: give --users FILE (edgelstm-collector user add) so that the monitor asks for a login.");
        if (result.GetValue(_requireLogin) && users is null)
            return Fail(error, "--require-login: give --users FILE (edgelstm-collector user add) so that the monitor asks for a login.");
        string? cert = result.GetValue(_cert), key = result.GetValue(_key);
        if ((cert is null) != (key is null)) return Fail(error, "--http-cert and --http-key go together.");
        X509Certificate2? certificate = null;
        if (cert is not null)
        {
            if ((certificate = PemFiles.LoadCertificate(cert, key!, out string? failure)) is null)
                return Fail(error, $"--http-cert '{cert}' with --http-key '{key}' cannot be used: {failure}");
        }
        else if (!IPAddress.IsLoopback(address))
        {
            // Allowed, as before HTTPS existed, but said: passwords and the login cookie then cross the network in clear.
            error.WriteLine($"edgelstm-collector: warning: the monitor on {text} asks for passwords over plain HTTP; give --http-cert and --http-key for HTTPS.");
        }
        plan = new MonitorOptions(new IPEndPoint(address, port), users, certificate);
        return true;
    }

    private static bool Fail(TextWriter error, string message)
    {
        error.WriteLine($"edgelstm-collector: {message}");
        return false;
    }
}
