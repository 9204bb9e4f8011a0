using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLstm.Sensors.Devices;

/// <summary>A 7-bit I2C address, written in JSON as a number (72) or a hex string ("0x48").</summary>
/// <param name="Value">The address.</param>
[JsonConverter(typeof(I2cAddressJsonConverter))]
public readonly record struct I2cAddress(int Value)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"0x{Value:X2}");
}

/// <summary>Reads and writes <see cref="I2cAddress"/> as a number or a "0x.." string.</summary>
public sealed class I2cAddressJsonConverter : JsonConverter<I2cAddress>
{
    /// <inheritdoc />
    public override I2cAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int n))
        {
            return new I2cAddress(n);
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            string s = reader.GetString()!;
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int hex))
            {
                return new I2cAddress(hex);
            }
        }

        throw new JsonException("expected an I2C address as a number or a hex string like \"0x48\"");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, I2cAddress value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
