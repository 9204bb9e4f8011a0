using System.Globalization;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>How config problems write numbers and lists, the same in every project's validation.</summary>
public static class ConfigText
{
    /// <summary>A number as messages write it (up to three decimals, invariant; very large and very small ones as 1E+39).</summary>
    /// <param name="x">The number.</param>
    /// <returns>The text.</returns>
    public static string Num(double x) =>
        x != 0 && double.IsFinite(x) && (Math.Abs(x) >= 1e9 || Math.Abs(x) < 1e-3)
            ? x.ToString("0.###E+0", CultureInfo.InvariantCulture)
            : x.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A list of allowed values as messages write it (<c>'AIN0', 'AIN1'</c> or <c>8, 16</c>).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="values">The values.</param>
    /// <returns>The text.</returns>
    public static string List<T>(IEnumerable<T> values) =>
        string.Join(", ", values.Select(v => v is string s ? $"'{s}'" : string.Create(CultureInfo.InvariantCulture, $"{v}")));
}
