using System.Buffers;
using System.Text;
using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Reads a frame's fields in order after <see cref="MessagePackStructure"/> has vouched for the lengths. Each read
/// checks the MessagePack type and the value's range first, and on failure records a <see cref="FrameError"/> that
/// names the field and its payload offset instead of throwing.
/// </summary>
internal ref struct FieldReader
{
    private MessagePackReader _reader;
    private readonly FrameFields _fields;
    private readonly DecoderLimits _limits;
    private readonly int _present;
    private int _fieldIndex;
    private int _fieldOffset;

    /// <summary>Reads the fields of one frame.</summary>
    /// <param name="reader">A reader positioned after the frame's tag.</param>
    /// <param name="fields">The frame type's field table, for error messages.</param>
    /// <param name="limits">Caps on lengths.</param>
    /// <param name="present">The number of fields after the tag that the frame's array holds.</param>
    public FieldReader(MessagePackReader reader, FrameFields fields, DecoderLimits limits, int present)
    {
        _reader = reader;
        _fields = fields;
        _limits = limits;
        _present = present;
    }

    /// <summary>The error of the last failed read.</summary>
    public FrameError Error { get; private set; }

    /// <summary>
    /// True when the frame holds no more fields: an older sender stopped before the optional fields this version
    /// appended, which then take their defaults.
    /// </summary>
    public readonly bool AtEnd => _fieldIndex >= _present;

    /// <summary>
    /// True for the integer formats that carry a sign (negative fixint, int8…int64), which are read as long; the
    /// unsigned ones (positive fixint, uint8…uint64) are read as ulong, so every encoding of a value reads alike.
    /// </summary>
    public static bool IsSignedFormat(byte code) =>
        code >= MessagePackCode.MinNegativeFixInt || code is >= MessagePackCode.Int8 and <= MessagePackCode.Int64;

    public bool TryReadUInt32(out uint value)
    {
        bool ok = TryReadInteger(0, uint.MaxValue, out Int128 wide);
        value = (uint)wide;
        return ok;
    }

    public bool TryReadUInt16(out ushort value)
    {
        bool ok = TryReadInteger(0, ushort.MaxValue, out Int128 wide);
        value = (ushort)wide;
        return ok;
    }

    public bool TryReadByte(byte max, out byte value)
    {
        bool ok = TryReadInteger(0, max, out Int128 wide);
        value = (byte)wide;
        return ok;
    }

    /// <summary>Reads a <see cref="FrameFlags"/> field: an integer 0…127 (written as a positive fixint).</summary>
    public bool TryReadFlags(out FrameFlags value)
    {
        bool ok = TryReadInteger(0, FrameFields.MaxFixInt, out Int128 wide);
        value = (FrameFlags)(byte)wide;
        return ok;
    }

    public bool TryReadUInt64(out ulong value)
    {
        bool ok = TryReadInteger(0, ulong.MaxValue, out Int128 wide);
        value = (ulong)wide;
        return ok;
    }

    public bool TryReadInt32(out int value)
    {
        bool ok = TryReadInteger(int.MinValue, int.MaxValue, out Int128 wide);
        value = (int)wide;
        return ok;
    }

    public bool TryReadNullableInt32(out int? value)
    {
        value = null;
        if (!_reader.End && _reader.NextMessagePackType == MessagePackType.Nil)
        {
            BeginField();
            _reader.ReadNil();
            return true;
        }

        bool ok = TryReadInt32(out int present);
        value = present;
        return ok;
    }

    public bool TryReadBoolean(out bool value)
    {
        value = false;
        if (!BeginField(MessagePackType.Boolean))
        {
            return false;
        }

        value = _reader.ReadBoolean();
        return true;
    }

    /// <summary>Reads a float32; float64 and integers are accepted too (Python's msgpack writes doubles).</summary>
    public bool TryReadSingle(out float value)
    {
        value = 0;
        if (!BeginField())
        {
            return false;
        }

        MessagePackType type = _reader.NextMessagePackType;
        if (type is not (MessagePackType.Float or MessagePackType.Integer))
        {
            return Fail(FrameErrorKind.WrongFieldType, $"expected Float, found {type}");
        }

        value = _reader.ReadSingle();
        return true;
    }

    /// <summary>Reads an array of float32; float64 and integer elements are accepted too.</summary>
    public bool TryReadSingleArray(out float[] values)
    {
        values = [];
        if (!BeginField(MessagePackType.Array))
        {
            return false;
        }

        // The structure walk already capped the count and checked it against the payload size.
        int count = _reader.ReadArrayHeader();
        if (count == 0)
        {
            return true;
        }

        var result = new float[count];
        for (int i = 0; i < result.Length; i++)
        {
            MessagePackType type = _reader.NextMessagePackType;
            if (type is not (MessagePackType.Float or MessagePackType.Integer))
            {
                _fieldOffset = (int)_reader.Consumed;
                return Fail(FrameErrorKind.WrongFieldType, $"element {i}: expected Float, found {type}");
            }

            result[i] = _reader.ReadSingle();
        }

        values = result;
        return true;
    }

    public bool TryReadString(out string value)
    {
        value = string.Empty;
        return BeginField(MessagePackType.String) && TryReadStringValue(out value);
    }

    public bool TryReadBinary(out byte[] value)
    {
        value = [];
        if (!BeginField(MessagePackType.Binary))
        {
            return false;
        }

        ReadOnlySequence<byte> bytes = _reader.ReadBytes()!.Value;
        if (bytes.Length > _limits.MaxArrayLength)
        {
            return Fail(FrameErrorKind.LengthOverLimit, $"{bytes.Length} bytes is over the limit of {_limits.MaxArrayLength}");
        }

        value = bytes.ToArray();
        return true;
    }

    public bool TryReadStringArray(out string[] values)
    {
        values = [];
        if (!BeginField(MessagePackType.Array))
        {
            return false;
        }

        // The structure walk already capped the count and checked it against the payload size.
        var result = new string[_reader.ReadArrayHeader()];
        for (int i = 0; i < result.Length; i++)
        {
            MessagePackType type = _reader.NextMessagePackType;
            if (type != MessagePackType.String)
            {
                _fieldOffset = (int)_reader.Consumed;
                return Fail(FrameErrorKind.WrongFieldType, $"element {i}: expected String, found {type}");
            }

            if (!TryReadStringValue(out result[i]))
            {
                return false;
            }
        }

        values = result;
        return true;
    }

    public bool TryReadUInt32Array(out uint[] values)
    {
        values = [];
        if (!BeginField(MessagePackType.Array))
        {
            return false;
        }

        var result = new uint[_reader.ReadArrayHeader()];
        for (int i = 0; i < result.Length; i++)
        {
            _fieldOffset = (int)_reader.Consumed;
            if (!TryReadIntegerValue(0, uint.MaxValue, $"element {i}: ", out Int128 wide))
            {
                return false;
            }

            result[i] = (uint)wide;
        }

        values = result;
        return true;
    }

    private bool TryReadInteger(Int128 min, Int128 max, out Int128 value)
    {
        value = 0;
        return BeginField() && TryReadIntegerValue(min, max, string.Empty, out value);
    }

    private bool TryReadIntegerValue(Int128 min, Int128 max, string where, out Int128 value)
    {
        value = 0;
        MessagePackType type = _reader.NextMessagePackType;
        if (type != MessagePackType.Integer)
        {
            return Fail(FrameErrorKind.WrongFieldType, $"{where}expected Integer, found {type}");
        }

        value = IsSignedFormat(_reader.NextCode) ? _reader.ReadInt64() : _reader.ReadUInt64();
        if (value < min || value > max)
        {
            return Fail(FrameErrorKind.ValueOutOfRange, $"{where}{value} is outside {min}…{max}");
        }

        return true;
    }

    private bool TryReadStringValue(out string value)
    {
        value = string.Empty;
        int offset = (int)_reader.Consumed;
        ReadOnlySequence<byte> utf8 = _reader.ReadStringSequence()!.Value;
        if (utf8.Length > _limits.MaxStringBytes)
        {
            _fieldOffset = offset;
            return Fail(FrameErrorKind.LengthOverLimit, $"string of {utf8.Length} bytes is over the limit of {_limits.MaxStringBytes}");
        }

        value = Encoding.UTF8.GetString(utf8);
        return true;
    }

    private bool BeginField(MessagePackType expected)
    {
        if (!BeginField())
        {
            return false;
        }

        MessagePackType actual = _reader.NextMessagePackType;
        return actual == expected || Fail(FrameErrorKind.WrongFieldType, $"expected {expected}, found {actual}");
    }

    private bool BeginField()
    {
        _fieldIndex++;
        _fieldOffset = (int)_reader.Consumed;

        // The caller checked the field count, so running out here would be a decoder bug; report it, don't throw.
        return !_reader.End || Fail(FrameErrorKind.TooFewFields, "the payload ends before this field");
    }

    private bool Fail(FrameErrorKind kind, string detail)
    {
        Error = new FrameError(kind, detail, _fieldOffset, (int)_fields.Type, _fieldIndex, _fields.NameOf(_fieldIndex));
        return false;
    }
}
