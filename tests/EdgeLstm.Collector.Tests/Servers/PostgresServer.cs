using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EdgeLstm.Collector.Tests.Servers;

/// <summary>The tests that share one <see cref="PostgresServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>
/// A throw-away PostgreSQL server: <c>initdb</c> into a fresh temporary folder, <c>postgres</c> on a free loopback
/// port (127.0.0.1 only, its socket inside the folder), password logins over TCP; stopped and deleted at the end.
/// initdb and postgres refuse to run as root, so as root (CI) they run as the <c>postgres</c> OS user. Each test
/// takes a database of its own from <see cref="CreateDatabase"/>.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string User = "edgelstm";
    public const string Password = "test-secret-9f2c";

    private readonly string _folder = "";
    private readonly string _data = "";
    private readonly bool _started;

    public PostgresServer()
    {
        // Without the binaries every [PostgresFact] test is skipped, visibly (CI fails on a skip); a test that uses the
        // server anyway fails in CreateDatabase instead of talking to port 0.
        if (PostgresBinaries.Folder is null) return;
        _folder = Directory.CreateTempSubdirectory("edgelstm-pg-").FullName;
        _data = Path.Combine(_folder, "data");
        string passwordFile = Path.Combine(_folder, "password");
        File.WriteAllText(passwordFile, Password);
        if (Environment.UserName == "root") Run("chown", "-R", "postgres:", _folder);
        RunPostgres("initdb", "-D", _data, "-U", User, "--pwfile", passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync");
        Port = FreePort();
        RunPostgres("pg_ctl", "-D", _data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1", "start");
        _started = true;
    }

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Settings for the superuser on <paramref name="database"/>.</summary>
    public NpgsqlConnectionStringBuilder Settings(string database) => new()
    {
        Host = "127.0.0.1", Port = Port, Username = User, Password = Password, Database = database, Timeout = 30,
    };

    /// <summary>A new empty database; its settings.</summary>
    public NpgsqlConnectionStringBuilder CreateDatabase()
    {
        if (!_started) throw new InvalidOperationException("no PostgreSQL server: its binaries are not installed (apt-get install -y postgresql); mark the test [PostgresFact]");
        string name = "t_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(Settings("postgres").ConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection); // a name made here, not input
            create.ExecuteNonQuery();
        }
        return Settings(name);
    }

    /// <summary>The <c>--store</c> URI of a database.</summary>
    public string Uri(NpgsqlConnectionStringBuilder settings, string? password = null) =>
        $"postgres://{User}:{System.Uri.EscapeDataString(password ?? Password)}@127.0.0.1:{Port}/{settings.Database}";

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started) RunPostgres("pg_ctl", "-D", _data, "-m", "fast", "-w", "stop");
        if (_folder.Length > 0) Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void RunPostgres(string program, params string[] arguments)
    {
        string path = Path.Combine(PostgresBinaries.Folder!, program);
        if (Environment.UserName == "root") Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        else Run(path, arguments);
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 120 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output.Result} {error.Result}");
    }
}
