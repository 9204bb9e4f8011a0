namespace EdgeLstm.Convert.Cli;

/// <summary>Exit codes of <c>edgelstm-convert</c> (documented in docs/convert.md).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked; for verify, the models agree within the limits.</summary>
    public const int Success = 0;

    /// <summary>A verification ran and failed its limits.</summary>
    public const int VerificationFailed = 1;

    /// <summary>Bad input: unreadable or unsupported model, bad CSV or sidecar, bad arguments.</summary>
    public const int BadInput = 2;

    /// <summary>A bug in the converter (not the user's input); the message asks for --verbose and a report.</summary>
    public const int InternalError = 3;
}
