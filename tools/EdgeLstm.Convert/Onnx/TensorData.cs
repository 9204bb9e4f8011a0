using System.Buffers.Binary;
using EdgeLstm.Convert.Onnx.Proto;

namespace EdgeLstm.Convert.Onnx;

/// <summary>
/// The values of a constant ONNX tensor (an initializer, a <c>Constant</c> node, a test-data file) as float32 or
/// int64, with its shape. Integer tensors keep exact int64 values because they carry indices and shapes.
/// </summary>
public sealed class TensorData
{
    private const int Float = 1, Int32 = 6, Int64 = 7, Double = 11;

    private TensorData(string name, long[] dims, float[]? floats, long[]? integers)
    {
        Name = name;
        Dims = dims;
        Floats = floats;
        Integers = integers;
    }

    /// <summary>The tensor's name (may be empty).</summary>
    public string Name { get; }

    /// <summary>The shape; empty for a scalar.</summary>
    public long[] Dims { get; }

    /// <summary>Values of a floating-point tensor, row-major; null for an integer tensor.</summary>
    public float[]? Floats { get; }

    /// <summary>Values of an integer tensor, row-major; null for a floating-point tensor.</summary>
    public long[]? Integers { get; }

    /// <summary>Number of elements.</summary>
    public long ElementCount => Floats?.Length ?? Integers!.Length;

    /// <summary>The shape written like <c>[1, 16, 4]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Dims) + "]";

    /// <summary>Creates a float tensor (used by tests and by constant folding).</summary>
    public static TensorData FromFloats(string name, long[] dims, float[] values) => new(name, dims, values, null);

    /// <summary>Creates an int64 tensor.</summary>
    public static TensorData FromIntegers(string name, long[] dims, long[] values) => new(name, dims, null, values);

    /// <summary>Reads a serialized tensor; <paramref name="where"/> names it in errors.</summary>
    /// <exception cref="ConversionException">Unsupported element type, external data, or a size that does not match the shape.</exception>
    public static TensorData FromProto(TensorProto tensor, string where)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.ExternalData.Count > 0 || tensor.DataLocation == 1)
            throw new ConversionException($"{where}: tensor '{tensor.Name}' keeps its data in an external file; export the model with the weights inside (save_as_external_data=False).");
        long[] dims = [.. tensor.Dims];
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0 || d > int.MaxValue) throw new ConversionException($"{where}: tensor '{tensor.Name}' has invalid dimension {d}.");
            count *= d;
            if (count > int.MaxValue) throw new ConversionException($"{where}: tensor '{tensor.Name}' is too large ({string.Join("x", dims)}).");
        }
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        bool hasRaw = !tensor.RawData.IsEmpty;
        switch (tensor.DataType)
        {
            case Float:
            {
                float[] values = hasRaw ? ReadRaw(raw, 4, count, tensor, where, b => BinaryPrimitives.ReadSingleLittleEndian(b))
                                        : [.. tensor.FloatData];
                return Checked(new TensorData(tensor.Name, dims, values, null), count, where);
            }
            case Double:
            {
                float[] values = hasRaw ? ReadRaw(raw, 8, count, tensor, where, b => (float)BinaryPrimitives.ReadDoubleLittleEndian(b))
                                        : [.. tensor.DoubleData.Select(v => (float)v)];
                return Checked(new TensorData(tensor.Name, dims, values, null), count, where);
            }
            case Int64:
            {
                long[] values = hasRaw ? ReadRaw(raw, 8, count, tensor, where, b => BinaryPrimitives.ReadInt64LittleEndian(b))
                                       : [.. tensor.Int64Data];
                return Checked(new TensorData(tensor.Name, dims, null, values), count, where);
            }
            case Int32:
            {
                long[] values = hasRaw ? ReadRaw(raw, 4, count, tensor, where, b => (long)BinaryPrimitives.ReadInt32LittleEndian(b))
                                       : [.. tensor.Int32Data.Select(v => (long)v)];
                return Checked(new TensorData(tensor.Name, dims, null, values), count, where);
            }
            default:
                throw new ConversionException($"{where}: tensor '{tensor.Name}' has ONNX element type {tensor.DataType}; only float, double, int32 and int64 are supported.");
        }
    }

    private delegate T ElementReader<T>(ReadOnlySpan<byte> bytes);

    private static T[] ReadRaw<T>(ReadOnlySpan<byte> raw, int size, long count, TensorProto tensor, string where, ElementReader<T> read)
    {
        if (raw.Length != count * size)
            throw new ConversionException($"{where}: tensor '{tensor.Name}' holds {raw.Length} bytes but its shape [{string.Join(", ", tensor.Dims)}] needs {count * size}.");
        var values = new T[count];
        for (int i = 0; i < values.Length; i++) values[i] = read(raw.Slice(i * size, size));
        return values;
    }

    private static TensorData Checked(TensorData data, long count, string where)
    {
        if (data.ElementCount != count)
            throw new ConversionException($"{where}: tensor '{data.Name}' holds {data.ElementCount} values but its shape {data.ShapeText} needs {count}.");
        return data;
    }

    /// <summary>The values as float32 (integers converted).</summary>
    public float[] AsFloats() => Floats ?? [.. Integers!.Select(v => (float)v)];

    /// <summary>The values as int64; throws when the tensor holds floats.</summary>
    public long[] AsIntegers(string where) =>
        Integers ?? throw new ConversionException($"{where}: expected an integer tensor but '{Name}' holds floats.");
}
