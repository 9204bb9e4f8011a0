namespace EdgeLstm.Evaluate.Skab;

/// <summary>One labelled SKAB recording, e.g. <c>valve1/5</c>.</summary>
/// <param name="Group">The folder: valve1, valve2 or other.</param>
/// <param name="Number">The file number within the folder.</param>
/// <param name="CsvPath">The full path of the CSV file.</param>
public sealed record SkabRecording(string Group, int Number, string CsvPath)
{
    /// <summary>The name used in the dataset README and docs, e.g. <c>valve1/5</c>.</summary>
    public string Name => $"{Group}/{Number}";

    /// <summary>The committed model's file stem, e.g. <c>valve1-5</c>.</summary>
    public string ModelStem => $"{Group}-{Number}";
}
