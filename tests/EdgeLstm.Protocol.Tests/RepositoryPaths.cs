namespace EdgeLstm.Protocol.Tests;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "EdgeLstm.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No EdgeLstm.sln above {AppContext.BaseDirectory}.");
    }
}
