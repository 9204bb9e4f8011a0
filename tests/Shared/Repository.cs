namespace EdgeLstm.Testing;

/// <summary>The repository's folders, found from the test binaries: the one root finder of every test project.</summary>
internal static class Repository
{
    /// <summary>The repository root: the nearest ancestor of the test assembly that holds <c>EdgeLstm.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The SKAB dataset committed under <c>tools/datasets/skab</c>.</summary>
    public static string SkabDataset => Path("tools", "datasets", "skab");

    /// <summary>A path under the repository root.</summary>
    /// <param name="parts">The path's parts below the root.</param>
    /// <returns>The full path (which need not exist).</returns>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A board config under <c>firmware-config/</c>.</summary>
    /// <param name="file">The file name, e.g. <c>sim-synthetic-faults.json</c>.</param>
    /// <returns>The full path.</returns>
    public static string FirmwareConfig(string file) => Path("firmware-config", file);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "EdgeLstm.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No EdgeLstm.sln above {AppContext.BaseDirectory}.");
    }
}
