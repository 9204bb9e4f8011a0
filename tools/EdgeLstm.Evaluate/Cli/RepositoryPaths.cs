namespace EdgeLstm.Evaluate.Cli;

/// <summary>Finds the committed models folder by walking up from the current directory to the repository root.</summary>
public static class RepositoryPaths
{
    /// <summary>The models folder relative to the repository root.</summary>
    public const string ModelsRelative = "tools/train/skab/models";

    /// <summary>The nearest <c>tools/train/skab/models</c> above <paramref name="start"/>, or null.</summary>
    /// <param name="start">Where to start looking.</param>
    /// <returns>The folder, or null when none is found.</returns>
    public static string? FindModels(string start)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, ModelsRelative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
