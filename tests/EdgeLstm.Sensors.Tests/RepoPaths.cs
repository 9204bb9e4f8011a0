namespace EdgeLstm.Sensors.Tests;

/// <summary>Locates the repository (the folder holding EdgeLstm.sln) from the test binaries.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixture(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static string FirmwareConfig(string file) => Path.Combine(Root, "firmware-config", file);

    /// <summary>The shared SKAB folder next to the repository, or null if this machine does not have it.</summary>
    public static string? SkabFolder
    {
        get
        {
            string path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "datasets", "skab"));
            return Directory.Exists(path) ? path : null;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeLstm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EdgeLstm.sln not found above " + AppContext.BaseDirectory);
    }
}
