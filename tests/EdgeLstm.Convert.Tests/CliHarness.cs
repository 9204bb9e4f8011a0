using EdgeLstm.Convert.Cli;

namespace EdgeLstm.Convert.Tests;

/// <summary>Runs edgelstm-convert in-process and captures its exit code, stdout and stderr.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness() => Directory.CreateDirectory(Folder);

    /// <summary>A fresh temporary folder for the test's files.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "edgelstm-convert-tests", Guid.NewGuid().ToString("N"));

    public string PathOf(string name) => Path.Combine(Folder, name);

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = ConvertCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
