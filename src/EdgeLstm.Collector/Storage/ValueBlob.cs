using System.Buffers.Binary;

namespace EdgeLstm.Collector.Storage;

/// <summary>Prediction values as a blob: float32 little-endian, one after another.</summary>
internal static class ValueBlob
{
    /// <summary>The blob of <paramref name="values"/>.</summary>
    public static byte[] FromFloats(ReadOnlySpan<float> values)
    {
        byte[] blob = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(blob.AsSpan(i * sizeof(float)), values[i]);
        return blob;
    }

    /// <summary>The values of a blob <see cref="FromFloats"/> wrote.</summary>
    public static float[] ToFloats(byte[] blob)
    {
        float[] values = new float[blob.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(blob.AsSpan(i * sizeof(float)));
        return values;
    }
}
