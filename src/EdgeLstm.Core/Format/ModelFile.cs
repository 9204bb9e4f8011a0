using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Format;

/// <summary>
/// Reads and writes <c>.elstm</c> model files: a 20-byte little-endian header (magic, format version,
/// flags, payload length, CRC-32 of the payload) followed by a MessagePack payload. The layout is
/// specified byte by byte in <c>docs/model-format.md</c>.
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this library writes and the newest it reads.</summary>
    public const ushort FormatVersion = 1;

    /// <summary>Size of the fixed header in bytes.</summary>
    public const int HeaderSize = 20;

    /// <summary>Header flag (offset 10) of a signed file: a <see cref="Signing.SignatureBlock"/> follows the payload.</summary>
    public const ushort SignedFlag = 1;

    /// <summary>Largest payload accepted (256 MiB): far above any model a Pi-class board runs.</summary>
    public const int MaxPayloadLength = 256 << 20;

    /// <summary>
    /// The file's first eight bytes: a non-ASCII byte (catches 7-bit transfers), "ELSTM", then CR LF (catches
    /// line-ending conversion, the usual way a binary gets damaged when copied as text).
    /// </summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'E', (byte)'L', (byte)'S', (byte)'T', (byte)'M', 0x0D, 0x0A];

    /// <summary>Serializes a model (validated first) to the bytes of an .elstm file.</summary>
    /// <exception cref="InvalidModelException">The model is inconsistent.</exception>
    public static byte[] ToBytes(RecurrentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        var payload = new ArrayBufferWriter<byte>(4096);
        ModelPayloadWriter.Write(model, payload);
        if (payload.WrittenCount > MaxPayloadLength)
            throw new InvalidModelException($"The model's payload is {payload.WrittenCount} bytes; at most {MaxPayloadLength} are allowed.");
        var file = new byte[HeaderSize + payload.WrittenCount];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), (uint)payload.WrittenCount);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), Crc32.HashToUInt32(payload.WrittenSpan));
        payload.WrittenSpan.CopyTo(file.AsSpan(HeaderSize));
        return file;
    }

    /// <summary>Writes a model as an .elstm file to a stream.</summary>
    public static void Save(RecurrentModel model, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(ToBytes(model));
    }

    /// <summary>Writes a model to a file path, replacing it atomically (written beside it, then moved).</summary>
    public static void Save(RecurrentModel model, string path)
    {
        byte[] bytes = ToBytes(model);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads and validates a model file.</summary>
    /// <exception cref="InvalidModelException">The file is not a usable model; the message says what and where.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RecurrentModel Load(string path)
    {
        byte[] bytes = ReadFile(path);
        try
        {
            return Load(bytes);
        }
        catch (InvalidModelException e)
        {
            throw new InvalidModelException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The largest .elstm file read: the header and the largest payload (<see cref="MaxPayloadLength"/>).</summary>
    public const long MaxFileLength = HeaderSize + (long)MaxPayloadLength + Signing.SignatureBlock.Size;

    /// <summary>
    /// Reads a whole file of at most <paramref name="maxLength"/> bytes; a larger one is refused from its size,
    /// before anything is read or allocated for it.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="maxLength">The limit in bytes; <see cref="MaxFileLength"/> for .elstm files.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="InvalidModelException">The file is larger than the limit; the message names the path and both sizes.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static byte[] ReadFile(string path, long maxLength = MaxFileLength)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        long length = stream.Length;
        if (length > maxLength)
        {
            throw new InvalidModelException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{path}: the file is {length:N0} bytes, larger than any valid model file ({maxLength:N0} bytes at most)."));
        }

        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Loads and validates a model from the bytes of an .elstm file.</summary>
    /// <exception cref="InvalidModelException">The bytes are not a usable model; the message says what and where.</exception>
    public static RecurrentModel Load(ReadOnlySpan<byte> file)
    {
        ReadOnlySpan<byte> payload = CheckHeader(file);
        RecurrentModel model = ModelPayloadReader.Read(payload);
        model.Validate();
        return model;
    }

    /// <summary>
    /// The stable id frames carry: the 64-bit XXH3 hash of the file's header and payload as 16 lowercase hex digits
    /// (of an unsigned file, the whole file, so <c>xxhsum -H3 model.elstm</c> on any machine shows the same; a
    /// signed file's trailer is left out, since it names the signer, not the model). A non-cryptographic hash on
    /// purpose: it names a model; a signature (<see cref="ModelSignature"/>) authenticates one.
    /// </summary>
    public static string ComputeModelId(ReadOnlySpan<byte> file) =>
        XxHash3.HashToUInt64(ModelSignature.SignedPart(file)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static ReadOnlySpan<byte> CheckHeader(ReadOnlySpan<byte> file)
    {
        if (file.Length < HeaderSize)
            throw new InvalidModelException($"The file is {file.Length} bytes, shorter than the {HeaderSize}-byte .elstm header; it is truncated or not a model.");
        if (!file[..8].SequenceEqual(Magic))
        {
            throw new InvalidModelException(file[1..6].SequenceEqual(Magic[1..6])
                ? "The file starts like an .elstm model but its magic bytes were altered (copied in text mode?)."
                : "The file is not an .elstm model (bad magic bytes at offset 0).");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]);
        if (version == 0 || version > FormatVersion)
            throw new InvalidModelException($"The file has format version {version}; this EdgeLstm reads versions 1 to {FormatVersion}. Update the runtime or convert the model with a matching edgelstm-convert.");
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(file[10..]);
        if ((flags & ~SignedFlag) != 0)
            throw new InvalidModelException($"The header flags at offset 10 are 0x{flags:x4}; version {version} defines only 0x{SignedFlag:x4} (signed).");
        int trailer = (flags & SignedFlag) != 0 ? Signing.SignatureBlock.Size : 0;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(file[12..]);
        if (length > MaxPayloadLength)
            throw new InvalidModelException($"The header (offset 12) declares a {length}-byte payload; at most {MaxPayloadLength} are allowed.");
        long actual = file.Length - HeaderSize - trailer;
        string signature = trailer > 0 ? $" and its {trailer}-byte signature" : "";
        if (actual < length)
            throw new InvalidModelException($"The file is truncated: the header declares a {length}-byte payload{signature} but only {file.Length - HeaderSize} bytes follow it.");
        if (actual > length)
        {
            throw new InvalidModelException(trailer == 0 && actual - length == Signing.SignatureBlock.Size
                ? $"The file has {actual - length} bytes after its {length}-byte payload, the size of a signature, but its header (offset 10) does not say it is signed: the flag was altered."
                : $"The file has {actual - length} unexpected bytes after its {length}-byte payload{signature}.");
        }
        ReadOnlySpan<byte> payload = file.Slice(HeaderSize, (int)length);
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(file[16..]);
        uint crc = Crc32.HashToUInt32(payload);
        if (crc != expected)
            throw new InvalidModelException($"The payload is corrupt: its CRC-32 is 0x{crc:x8} but the header (offset 16) says 0x{expected:x8}.");
        return payload;
    }
}
