namespace EdgeLstm.Testing;

/// <summary>The text mutations the file fuzzers share: delete a span, insert a token, repeat a span, cut the text short.</summary>
internal static class TextMutations
{
    /// <summary>The number of mutation kinds <see cref="TryApply"/> knows; a fuzzer numbers its own kinds from here.</summary>
    public const int Kinds = 4;

    /// <summary>
    /// Applies mutation <paramref name="kind"/> at <paramref name="at"/> (taken modulo the text's length + 1) over up to
    /// <paramref name="length"/> characters; false for a kind it does not know, with <paramref name="mutated"/> unchanged.
    /// </summary>
    public static bool TryApply(ref string mutated, int kind, ref int at, ref int length, string token)
    {
        string text = mutated;
        at %= text.Length + 1;
        length = Math.Min(length, text.Length - at);
        string? result = kind switch
        {
            0 => text.Remove(at, length),
            1 => text.Insert(at, token),
            2 => text.Insert(at, text.Substring(at, length)),
            3 => text[..at],
            _ => null,
        };
        if (result is null) return false;
        mutated = result;
        return true;
    }
}
