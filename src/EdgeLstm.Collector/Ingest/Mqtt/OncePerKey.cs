namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>
/// Remembers which keys (device ids, from untrusted topics) were already logged, so a noisy device logs once. Bounded:
/// past <see cref="Capacity"/> keys it forgets them all and starts again, so a flood of invented ids cannot grow it.
/// </summary>
internal sealed class OncePerKey
{
    /// <summary>Keys remembered before the set is cleared.</summary>
    public const int Capacity = 10_000;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>True the first time <paramref name="key"/> is seen.</summary>
    public bool First(string key)
    {
        lock (_lock)
        {
            if (_seen.Count >= Capacity) _seen.Clear();
            return _seen.Add(key);
        }
    }
}
