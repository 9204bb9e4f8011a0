namespace EdgeLstm.Evaluate.Cli;

/// <summary>Exit codes of <c>edgelstm-evaluate</c>.</summary>
public static class ExitCodes
{
    /// <summary>Every recording was scored.</summary>
    public const int Success = 0;

    /// <summary>Bad input or a failed step: missing dataset or model, bad arguments, a conversion or runtime failure.</summary>
    public const int Failed = 2;
}
