using System.Reflection;

namespace EdgeLstm.Runtime.Cli;

/// <summary>
/// The embedded default board: a SKAB pump recording, the bundled int8 model and a replay board config, all
/// inside the binary. They are written to a folder under the temp directory on first use, so the ordinary
/// config loader reads them like any board's files.
/// </summary>
internal static class EmbeddedDemo
{
    private static readonly string[] Resources = ["demo-board.json", "demo-model.elstm", "skab-excerpt.csv"];

    /// <summary>Writes the demo files (if missing or different) and returns the config's path.</summary>
    public static string ExtractConfig()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"edgelstm-demo-{Environment.UserName}");
        Directory.CreateDirectory(folder);
        foreach (string name in Resources)
        {
            using Stream resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"the embedded resource {name} is missing from this build");
            using var buffer = new MemoryStream();
            resource.CopyTo(buffer);
            string path = Path.Combine(folder, name);
            if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
            {
                // A name of its own per writer: processes extracting at once must not share a half-written file.
                string temporary = $"{path}.{Path.GetRandomFileName()}.tmp";
                File.WriteAllBytes(temporary, buffer.ToArray());
                File.Move(temporary, path, overwrite: true);
            }
        }
        return Path.Combine(folder, "demo-board.json");
    }
}
