namespace EdgeLstm.Runtime.Configuration;

/// <summary>
/// What this board trusts: the public keys that may sign its models (and, later, its remote updates). The policy
/// lives in the board's config, never in a model file: with keys pinned, only models signed by one of them run.
/// </summary>
public sealed class TrustConfig
{
    /// <summary>
    /// Gets the pinned public keys: PEM files (<c>edgelstm-convert keygen</c>'s <c>public.pem</c>), relative to the
    /// config. Several, so keys rotate. Empty or absent: models are not checked.
    /// </summary>
    public IReadOnlyList<string>? ModelKeys { get; set; }
}
