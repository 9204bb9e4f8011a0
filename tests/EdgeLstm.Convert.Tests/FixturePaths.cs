namespace EdgeLstm.Convert.Tests;

/// <summary>Where the committed fixtures are.</summary>
internal static class FixturePaths
{
    /// <summary>The fixtures folder copied beside the test assembly.</summary>
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The folder of one torch-exported fixture.</summary>
    public static string Torch(string name) => Path.Combine(Fixtures, "torch", name);

    /// <summary>ONNX's own LSTM/GRU node tests, committed with their provenance under Fixtures/onnx-rnn-conformance.</summary>
    public static string Conformance => Path.Combine(Fixtures, "onnx-rnn-conformance");

    /// <summary>Names of every torch fixture folder.</summary>
    public static IEnumerable<string> TorchFixtureNames =>
        Directory.EnumerateDirectories(Path.Combine(Fixtures, "torch")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
