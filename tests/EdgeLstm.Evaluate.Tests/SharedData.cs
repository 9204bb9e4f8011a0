namespace EdgeLstm.Evaluate.Tests;

/// <summary>Finds <c>shared/datasets/skab</c> next to the repository (CI has it at ../shared); null when absent.</summary>
internal static class SharedData
{
    public static string? Skab { get; } = Find(Path.Combine("shared", "datasets", "skab"));

    public static string? Models { get; } = Find(Path.Combine("tools", "train", "skab", "models"));

    private static string? Find(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
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
