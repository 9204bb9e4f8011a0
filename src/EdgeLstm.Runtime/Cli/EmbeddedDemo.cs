using System.Reflection;
using System.Runtime.Versioning;
using EdgeLstm.Core.Diagnostics;

namespace EdgeLstm.Runtime.Cli;

/// <summary>
/// The embedded default board: a SKAB pump recording, the bundled int8 model and a replay board config, all
/// inside the binary. They are written on first use to a folder private to the user (<see cref="ChooseFolder"/>),
/// so the ordinary config loader reads them like any board's files and nobody else can swap them.
/// </summary>
internal static class EmbeddedDemo
{
    private static readonly string[] Resources = ["demo-board.json", "demo-model.elstm", "skab-excerpt.csv"];

    /// <summary>Writes the demo files into this user's private demo folder and returns the config's path.</summary>
    /// <exception cref="DemoFolderException">The folder exists but is not private, cannot be written, or cannot be named.</exception>
    public static string ExtractConfig()
    {
        if (!OperatingSystem.IsLinux())
        {
            // A desktop elsewhere (Windows, macOS): the per-user application-data folder, as the system protects it.
            string folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "edgelstm", "demo");
            Directory.CreateDirectory(folder);
            return WriteFiles(folder);
        }
        uint user = PrivateFolder.CurrentUser;
        return ExtractConfig(ChooseFolder(Environment.GetEnvironmentVariable, user), user);
    }

    /// <summary>
    /// The demo's folder: <c>$XDG_RUNTIME_DIR/edgelstm-demo</c> when that variable names an absolute folder private to
    /// <paramref name="user"/>, otherwise <c>$XDG_CACHE_HOME/edgelstm/demo</c> (when absolute) or <c>$HOME/.cache/edgelstm/demo</c>.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static string ChooseFolder(Func<string, string?> environment, uint user)
    {
        if (environment("XDG_RUNTIME_DIR") is { } runtime && Path.IsPathFullyQualified(runtime) && IsPrivate(runtime, user))
        {
            return Path.Combine(runtime, "edgelstm-demo");
        }
        // The XDG base-directory spec says relative values are to be ignored.
        string cache = environment("XDG_CACHE_HOME") is { } xdgCache && Path.IsPathFullyQualified(xdgCache) ? xdgCache
            : environment("HOME") is { } home && Path.IsPathFullyQualified(home) ? Path.Combine(home, ".cache")
            : throw new DemoFolderException("no private folder for the embedded demo: set XDG_RUNTIME_DIR or HOME, or pass --config");
        return Path.Combine(cache, "edgelstm", "demo");
    }

    [SupportedOSPlatform("linux")]
    private static bool IsPrivate(string folder, uint user)
    {
        try
        {
            return PrivateFolder.Problem(folder, user) is null;
        }
        catch (IOException)
        {
            return false; // not even examinable: the cache it is
        }
    }

    /// <summary>Makes <paramref name="folder"/> private (or refuses it), writes the demo files that are missing or differ, and returns the config's path.</summary>
    [SupportedOSPlatform("linux")]
    public static string ExtractConfig(string folder, uint user)
    {
        try
        {
            if (PrivateFolder.Ensure(folder, user) is { } problem) throw new DemoFolderException($"refusing to write its files into '{folder}': {problem}");
            return WriteFiles(folder);
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            throw new DemoFolderException($"cannot write the demo's files to '{folder}': {FileErrors.Describe(e, folder)}", e);
        }
    }

    private static string WriteFiles(string folder)
    {
        foreach (string name in Resources)
        {
            using Stream resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"the embedded resource {name} is missing from this build");
            using var buffer = new MemoryStream();
            resource.CopyTo(buffer);
            string path = Path.Combine(folder, name);
            if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
            {
                // A new file of its own (O_EXCL: never through a planted name) per writer, renamed over whatever is there,
                // so processes extracting at once never share a half-written file.
                string temporary = $"{path}.{Path.GetRandomFileName()}.tmp";
                using (var file = new FileStream(temporary, FileMode.CreateNew))
                {
                    buffer.WriteTo(file);
                }
                File.Move(temporary, path, overwrite: true);
            }
        }
        return Path.Combine(folder, "demo-board.json");
    }
}
