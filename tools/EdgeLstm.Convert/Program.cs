using EdgeLstm.Convert.Cli;

namespace EdgeLstm.Convert;

/// <summary>Entry point of <c>edgelstm-convert</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line; returns 0 on success, 1 on a failed verification, 2 on bad input.</summary>
    public static int Main(string[] args) => ConvertCli.Run(args);
}
