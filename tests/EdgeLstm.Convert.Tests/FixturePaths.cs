namespace EdgeLstm.Convert.Tests;

/// <summary>Where the committed fixtures and the shared datasets are.</summary>
internal static class FixturePaths
{
    /// <summary>The fixtures folder copied beside the test assembly.</summary>
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The folder of one torch-exported fixture.</summary>
    public static string Torch(string name) => Path.Combine(Fixtures, "torch", name);

    /// <summary>The repository root: the first ancestor of the test assembly that holds EdgeLstm.sln.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EdgeLstm.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("EdgeLstm.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>../shared/datasets/onnx-rnn-conformance relative to the repository root.</summary>
    public static string Conformance => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets", "onnx-rnn-conformance"));

    /// <summary>Names of every torch fixture folder.</summary>
    public static IEnumerable<string> TorchFixtureNames =>
        Directory.EnumerateDirectories(Path.Combine(Fixtures, "torch")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
