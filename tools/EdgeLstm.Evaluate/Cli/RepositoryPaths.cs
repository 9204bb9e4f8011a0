namespace EdgeLstm.Evaluate.Cli;

/// <summary>Finds the committed SKAB models and dataset by walking up from a folder to the repository root.</summary>
public static class RepositoryPaths
{
    /// <summary>The models folder relative to the repository root.</summary>
    public const string ModelsRelative = "tools/train/skab/models";

    /// <summary>The SKAB dataset folder relative to the repository root.</summary>
    public const string SkabRelative = "tools/datasets/skab";

    /// <summary>The nearest <c>tools/train/skab/models</c> above <paramref name="start"/>, or null.</summary>
    /// <param name="start">Where to start looking.</param>
    /// <returns>The folder, or null when none is found.</returns>
    public static string? FindModels(string start) => FindAbove(start, ModelsRelative);

    /// <summary>The nearest <c>tools/datasets/skab</c> above <paramref name="start"/>, or null.</summary>
    /// <param name="start">Where to start looking.</param>
    /// <returns>The folder, or null when none is found.</returns>
    public static string? FindSkab(string start) => FindAbove(start, SkabRelative);

    private static string? FindAbove(string start, string relative)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
