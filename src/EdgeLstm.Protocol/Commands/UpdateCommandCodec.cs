using System.Buffers;
using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// An <see cref="UpdateCommand"/>'s body on the wire, a MessagePack array:
/// <c>[1 (format), kind, deviceId(str), version(uint64), issuedUnixMs(uint64), expiresUnixMs(uint64), model(bin|nil), thresholds([[alarm(str), threshold(float32), clearThreshold(float32)], …]|nil)]</c>.
/// The reader is strict and bounded (fixed shape, every length checked before use, no nesting beyond the shape), so
/// hostile bytes cost at most one pass over them.
/// </summary>
public static class UpdateCommandCodec
{
    /// <summary>The body format this codec writes and reads.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The largest model an update carries (16 MiB; far above a board's models, well under a broker's packet limit).</summary>
    public const int MaxModelBytes = 16 << 20;

    /// <summary>The largest command body read: the model and room for the rest.</summary>
    public const int MaxBodyBytes = MaxModelBytes + 64 * 1024;

    /// <summary>The most thresholds one command sets.</summary>
    public const int MaxThresholds = 64;

    private const int MaxNameBytes = 128;
    private const int Fields = 8;

    /// <summary>The command's body bytes.</summary>
    public static byte[] Encode(UpdateCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var buffer = new ArrayBufferWriter<byte>(command.Model.Length + 256);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(Fields);
        writer.Write(FormatVersion);
        writer.Write((byte)command.Kind);
        writer.Write(command.DeviceId);
        writer.Write(command.Version);
        writer.Write(command.IssuedUnixMs);
        writer.Write(command.ExpiresUnixMs);
        if (command.Kind == UpdateKind.Model) writer.Write(command.Model.Span);
        else writer.WriteNil();
        if (command.Kind == UpdateKind.Thresholds)
        {
            writer.WriteArrayHeader(command.Thresholds.Count);
            foreach (ThresholdUpdate t in command.Thresholds)
            {
                writer.WriteArrayHeader(3);
                writer.Write(t.Alarm);
                writer.Write(t.Threshold);
                writer.Write(t.ClearThreshold);
            }
        }
        else
        {
            writer.WriteNil();
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a command body.</summary>
    /// <exception cref="UpdateCommandException">The body is not a command this board reads; the message names the field.</exception>
    public static UpdateCommand Decode(ReadOnlyMemory<byte> body)
    {
        if (body.Length > MaxBodyBytes) throw new UpdateCommandException($"the command is {body.Length:N0} bytes; at most {MaxBodyBytes:N0} are read.");
        var reader = new MessagePackReader(body);
        string field = "the array";
        try
        {
            Expect(reader.NextMessagePackType == MessagePackType.Array, field, "is not an array");
            int count = reader.ReadArrayHeader();
            Expect(count == Fields, field, $"has {count} elements, not {Fields}");
            field = "format";
            byte format = ReadByte(ref reader, field);
            Expect(format == FormatVersion, field, $"is {format}; this board reads format {FormatVersion}");
            field = "kind";
            byte kind = ReadByte(ref reader, field);
            Expect(kind is (byte)UpdateKind.Model or (byte)UpdateKind.Thresholds, field, $"{kind} is not 1 (model) or 2 (thresholds)");
            string deviceId = ReadString(ref reader, field = "deviceId");
            ulong version = ReadUInt64(ref reader, field = "version");
            ulong issued = ReadUInt64(ref reader, field = "issuedUnixMs");
            ulong expires = ReadUInt64(ref reader, field = "expiresUnixMs");
            field = "model";
            ReadOnlyMemory<byte> model = ReadOnlyMemory<byte>.Empty;
            if (!reader.TryReadNil())
            {
                Expect(reader.NextMessagePackType == MessagePackType.Binary, field, "is neither nil nor binary");
                ReadOnlySequence<byte> bytes = reader.ReadBytes() ?? default;
                Expect(bytes.Length is > 0 and <= MaxModelBytes, field, $"is {bytes.Length:N0} bytes; 1 to {MaxModelBytes:N0} are allowed");
                model = bytes.ToArray();
            }
            field = "thresholds";
            var thresholds = new List<ThresholdUpdate>();
            if (!reader.TryReadNil())
            {
                Expect(reader.NextMessagePackType == MessagePackType.Array, field, "is neither nil nor an array");
                int n = reader.ReadArrayHeader();
                Expect(n is > 0 and <= MaxThresholds, field, $"holds {n} entries; 1 to {MaxThresholds} are allowed");
                for (int i = 0; i < n; i++)
                {
                    field = $"thresholds[{i}]";
                    Expect(reader.NextMessagePackType == MessagePackType.Array && reader.ReadArrayHeader() == 3, field, "is not [alarm, threshold, clearThreshold]");
                    string alarm = ReadString(ref reader, field + ".alarm");
                    float raise = ReadFloat(ref reader, field + ".threshold");
                    float clear = ReadFloat(ref reader, field + ".clearThreshold");
                    Expect(clear <= raise, field, $"clears at {clear}, above its threshold {raise}");
                    thresholds.Add(new ThresholdUpdate(alarm, raise, clear));
                }
            }
            Expect(reader.End, "the command", "has bytes after its last field");
            Expect(kind == (byte)UpdateKind.Model ? model.Length > 0 && thresholds.Count == 0 : model.Length == 0 && thresholds.Count > 0,
                "the command", kind == (byte)UpdateKind.Model ? "is a model update without model bytes, or with thresholds" : "is a thresholds update without thresholds, or with model bytes");
            return new UpdateCommand
            {
                Kind = (UpdateKind)kind, DeviceId = deviceId, Version = version, IssuedUnixMs = issued, ExpiresUnixMs = expires,
                Model = model, Thresholds = thresholds,
            };
        }
        // MessagePack-CSharp reports a length past the end as ArgumentOutOfRangeException from its sequence slicing.
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException or ArgumentException)
        {
            throw new UpdateCommandException($"the command's {field} cannot be read: {e.Message}", e);
        }
    }

    private static void Expect(bool condition, string field, string problem)
    {
        if (!condition) throw new UpdateCommandException($"the command's {field} {problem}.");
    }

    private static byte ReadByte(ref MessagePackReader reader, string field)
    {
        Expect(reader.NextMessagePackType == MessagePackType.Integer, field, "is not an integer");
        return reader.ReadByte();
    }

    private static ulong ReadUInt64(ref MessagePackReader reader, string field)
    {
        Expect(reader.NextMessagePackType == MessagePackType.Integer, field, "is not an integer");
        return reader.ReadUInt64();
    }

    private static float ReadFloat(ref MessagePackReader reader, string field)
    {
        Expect(reader.NextMessagePackType == MessagePackType.Float, field, "is not a number");
        float value = reader.ReadSingle();
        Expect(float.IsFinite(value), field, "is not finite");
        return value;
    }

    private static string ReadString(ref MessagePackReader reader, string field)
    {
        Expect(reader.NextMessagePackType == MessagePackType.String, field, "is not a string");
        ReadOnlySequence<byte> bytes = reader.ReadStringSequence() ?? default;
        Expect(bytes.Length is > 0 and <= MaxNameBytes, field, $"is {bytes.Length} bytes; 1 to {MaxNameBytes} are allowed");
        string text = System.Text.EncodingExtensions.GetString(System.Text.Encoding.UTF8, bytes);
        Expect(!text.Any(char.IsControl), field, "holds a control character");
        return text;
    }
}
