namespace EdgeLstm.Runtime.Cli;

/// <summary>The process exit codes of <c>edgelstm</c>, documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>Success; for <c>run</c>, a clean shutdown (duration reached, SIGINT or SIGTERM).</summary>
    public const int Success = 0;

    /// <summary>A check failed: <c>selftest</c> found a kernel that disagrees with the scalar path.</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input that makes running pointless: missing or corrupt model, invalid config, bad arguments.</summary>
    public const int BadInput = 2;
}
