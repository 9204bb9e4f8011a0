using System.Globalization;

namespace EdgeLstm.Convert.Data;

/// <summary>
/// Writes a float in plain decimal notation — never an exponent, so <c>0.0000414</c> stands beside <c>0.0021</c>
/// rather than <c>4.14E-05</c> — with the fewest digits that read back as exactly the same float (the digits of
/// .NET's shortest round-trip format), and the invariant culture's '.' as the decimal point.
/// </summary>
public static class PlainNumber
{
    /// <summary>The plain decimal text of <paramref name="value"/>; NaN and infinities as .NET writes them.</summary>
    public static string Format(float value)
    {
        string shortest = value.ToString("R", CultureInfo.InvariantCulture);
        int e = shortest.IndexOf('E', StringComparison.Ordinal);
        if (e < 0) return shortest;
        // "-4.14E-05": sign, significant digits "414", and the decimal point's place after moving it by the exponent.
        bool negative = shortest[0] == '-';
        string mantissa = shortest[(negative ? 1 : 0)..e];
        int exponent = int.Parse(shortest.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int point = (dot < 0 ? mantissa.Length : dot) + exponent;
        string plain = point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : digits[..point] + "." + digits[point..];
        return negative ? "-" + plain : plain;
    }
}
