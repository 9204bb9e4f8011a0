using System.Globalization;

namespace EdgeLstm.Evaluate.Skab;

/// <summary>Finds the labelled SKAB recordings under a dataset folder.</summary>
public static class SkabDataset
{
    /// <summary>The folders holding labelled recordings (anomaly-free.csv is not one of them), in the trainer's order.</summary>
    public static IReadOnlyList<string> Groups { get; } = ["valve1", "valve2", "other"];

    /// <summary>Lists the labelled recordings in a fixed order (group, then number).</summary>
    /// <param name="root">The SKAB folder, e.g. <c>tools/datasets/skab</c>.</param>
    /// <returns>The recordings; at least one.</returns>
    /// <exception cref="EvaluationException">The folder or its group folders are missing, or hold no CSV files.</exception>
    public static IReadOnlyList<SkabRecording> Discover(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new EvaluationException($"dataset folder not found: {Path.GetFullPath(root)}");
        }

        var recordings = new List<SkabRecording>();
        foreach (string group in Groups)
        {
            string folder = Path.Combine(root, group);
            if (!Directory.Exists(folder))
            {
                throw new EvaluationException($"dataset folder has no '{group}' subfolder: {Path.GetFullPath(root)}");
            }

            var inGroup = new List<SkabRecording>();
            foreach (string csv in Directory.EnumerateFiles(folder, "*.csv"))
            {
                // Only numbered files are labelled recordings.
                if (int.TryParse(Path.GetFileNameWithoutExtension(csv), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                {
                    inGroup.Add(new SkabRecording(group, number, Path.GetFullPath(csv)));
                }
            }

            recordings.AddRange(inGroup.OrderBy(r => r.Number));
        }

        if (recordings.Count == 0)
        {
            throw new EvaluationException($"no labelled SKAB recordings under {Path.GetFullPath(root)}");
        }

        return recordings;
    }
}
