using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>
/// Checks a JSON document against the source-generated metadata of the config types before deserializing,
/// so that every unknown key, missing required key and wrongly typed value is reported (the serializer
/// itself stops at the first). It walks <see cref="JsonTypeInfo"/> only, which is AOT-safe.
/// </summary>
internal sealed class JsonShapeChecker(JsonSerializerOptions options, List<ConfigProblem> problems)
{
    public void Check(JsonElement element, JsonTypeInfo info, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            problems.Add(new(path, "null is not allowed here.", "Omit the key to use its default, or give a value."));
            return;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                CheckObject(element, info, path);
                break;
            case JsonTypeInfoKind.Enumerable:
                if (element.ValueKind != JsonValueKind.Array)
                {
                    problems.Add(new(path, $"expected an array, found {Describe(element)}.", "Write a list in square brackets: [ ... ]."));
                    return;
                }

                JsonTypeInfo itemInfo = options.GetTypeInfo(info.ElementType!);
                int i = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Check(item, itemInfo, $"{path}[{i++}]");
                }

                break;
            case JsonTypeInfoKind.Dictionary:
                if (element.ValueKind != JsonValueKind.Object)
                {
                    problems.Add(new(path, $"expected an object, found {Describe(element)}.", "Write key/value pairs in braces: { \"name\": ... }."));
                    return;
                }

                JsonTypeInfo valueInfo = options.GetTypeInfo(info.ElementType!);
                foreach (JsonProperty p in element.EnumerateObject())
                {
                    Check(p.Value, valueInfo, $"{path}.{p.Name}");
                }

                break;
            default:
                CheckValue(element, info, path);
                break;
        }
    }

    private void CheckObject(JsonElement element, JsonTypeInfo info, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(path, $"expected an object, found {Describe(element)}.", "Write key/value pairs in braces: { \"key\": value }."));
            return;
        }

        string? discriminator = null;
        if (info.PolymorphismOptions is { } poly)
        {
            discriminator = poly.TypeDiscriminatorPropertyName;
            string[] kinds = [.. poly.DerivedTypes.Select(d => (string)d.TypeDiscriminator!)];
            if (!element.TryGetProperty(discriminator, out JsonElement kind) || kind.ValueKind != JsonValueKind.String)
            {
                problems.Add(new($"{path}.{discriminator}", $"missing the string key '{discriminator}' that says what this is.", $"Add \"{discriminator}\": one of {Quote(kinds)}."));
                return;
            }

            int match = Array.IndexOf(kinds, kind.GetString());
            if (match < 0)
            {
                problems.Add(new($"{path}.{discriminator}", $"unknown {discriminator} '{kind.GetString()}'.", $"Use one of {Quote(kinds)}{Suggest(kind.GetString()!, kinds)}."));
                return;
            }

            info = options.GetTypeInfo(poly.DerivedTypes[match].DerivedType);
        }

        var known = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty member in element.EnumerateObject())
        {
            string memberPath = $"{path}.{member.Name}";
            if (!seen.Add(member.Name))
            {
                problems.Add(new(memberPath, $"key '{member.Name}' appears more than once.", "Keep one of them."));
                continue;
            }

            if (member.Name == discriminator)
            {
                continue;
            }

            if (!known.TryGetValue(member.Name, out JsonPropertyInfo? property))
            {
                problems.Add(UnknownKey(memberPath, member.Name, [.. known.Keys]));
                continue;
            }

            Check(member.Value, options.GetTypeInfo(property.PropertyType), memberPath);
        }

        foreach (JsonPropertyInfo property in info.Properties)
        {
            if (property.IsRequired && !seen.Contains(property.Name))
            {
                problems.Add(new($"{path}.{property.Name}", $"required key '{property.Name}' is missing.", $"Add \"{property.Name}\" ({Expected(property.PropertyType)})."));
            }
        }
    }

    private void CheckValue(JsonElement element, JsonTypeInfo info, string path)
    {
        // Strings become paths, names in frames and log lines: a control character would break a path (NUL) or
        // forge a log line (a newline), so none is allowed.
        if (element.ValueKind == JsonValueKind.String && element.GetString() is { } text && text.AsSpan().IndexOfAnyInRange('\0', '\u001f') is int at and >= 0)
        {
            problems.Add(new(path, $"the text holds the control character U+{(int)text[at]:X4} at position {at}.", "Remove it: names, paths and descriptions are plain text."));
            return;
        }

        try
        {
            _ = element.Deserialize(info);
        }
        catch (JsonException)
        {
            problems.Add(new(path, $"expected {Expected(info.Type)}, found {Describe(element)}.", HintFor(info.Type)));
        }
        catch (InvalidOperationException)
        {
            problems.Add(new(path, $"expected {Expected(info.Type)}, found {Describe(element)}.", HintFor(info.Type)));
        }
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + Quote([.. Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName)]);
        }

        return type switch
        {
            _ when type == typeof(int) => "an integer",
            _ when type == typeof(ulong) => "a non-negative integer",
            _ when type == typeof(double) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(I2cAddress) => "an I2C address (a number or a hex string like \"0x48\")",
            _ when type.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "an array",
            _ => "an object",
        };
    }

    private static string HintFor(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsEnum ? "Values are case-sensitive camelCase names." :
            type == typeof(int) || type == typeof(ulong) ? "Write a whole number without quotes or a decimal point." :
            type == typeof(double) ? "Write a number without quotes." :
            type == typeof(bool) ? "Write true or false without quotes." :
            type == typeof(I2cAddress) ? "Write 72 or \"0x48\"." :
            "Check the value against firmware-config/board.schema.json.";
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>The problem of a key that is not one of <paramref name="allowed"/>, with the nearest allowed key suggested.</summary>
    public static ConfigProblem UnknownKey(string path, string name, IReadOnlyList<string> allowed) =>
        new(path, $"unknown key '{name}'.", $"Allowed keys here: {Quote(allowed)}{Suggest(name, allowed)}.");

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static string Suggest(string given, IReadOnlyList<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string c in candidates)
        {
            int d = Distance(given.ToUpperInvariant(), c.ToUpperInvariant());
            if (d < bestDistance)
            {
                (best, bestDistance) = (c, d);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, given.Length / 3) ? $" (did you mean '{best}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        // Levenshtein distance, two rows.
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
