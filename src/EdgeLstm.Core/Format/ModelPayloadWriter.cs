using System.Buffers;
using System.Runtime.InteropServices;
using EdgeLstm.Core.Model;
using MessagePack;

namespace EdgeLstm.Core.Format;

/// <summary>Writes the MessagePack payload of an .elstm file (layout in docs/model-format.md).</summary>
internal static class ModelPayloadWriter
{
    public static void Write(RecurrentModel model, IBufferWriter<byte> output)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(5);
        WriteMetadata(ref writer, model.Metadata);
        writer.Write((byte)model.Precision);
        writer.Write((byte)model.HeadInput);
        writer.WriteArrayHeader(model.Layers.Count);
        foreach (RecurrentLayer layer in model.Layers) WriteLayer(ref writer, layer);
        writer.WriteArrayHeader(model.Head.Count);
        foreach (DenseLayer dense in model.Head)
        {
            writer.WriteArrayHeader(3);
            WriteMatrix(ref writer, dense.W);
            WriteFloats(ref writer, dense.Bias);
            writer.Write((byte)dense.Activation);
        }
        writer.Flush();
    }

    private static void WriteMetadata(ref MessagePackWriter writer, ModelMetadata m)
    {
        writer.WriteArrayHeader(9);
        writer.Write(m.Name);
        writer.Write((byte)m.OutputKind);
        writer.Write((byte)m.Mode);
        writer.Write(m.WindowLength);
        writer.Write(m.Stride);
        writer.Write(m.IsDefault);
        writer.WriteArrayHeader(m.Channels.Count);
        foreach (ChannelInfo c in m.Channels)
        {
            writer.WriteArrayHeader(4);
            writer.Write(c.Name);
            writer.Write(c.Unit);
            writer.Write(c.Mean);
            writer.Write(c.Std);
        }
        writer.WriteArrayHeader(m.OutputNames.Count);
        foreach (string name in m.OutputNames) writer.Write(name);
        writer.Write(m.SampleRateHz);
    }

    private static void WriteLayer(ref MessagePackWriter writer, RecurrentLayer layer)
    {
        writer.WriteArrayHeader(8);
        writer.Write((byte)layer.Kind);
        writer.Write((byte)layer.Direction);
        writer.Write(layer.InputSize);
        writer.Write(layer.HiddenSize);
        writer.Write(layer.Clip);
        writer.Write(layer.LinearBeforeReset);
        writer.Write(layer.Activations.Select(a => (byte)a).ToArray());
        writer.WriteArrayHeader(layer.Directions.Count);
        foreach (DirectionWeights d in layer.Directions)
        {
            writer.WriteArrayHeader(7);
            WriteMatrix(ref writer, d.W);
            WriteMatrix(ref writer, d.R);
            WriteFloats(ref writer, d.InputBias);
            WriteFloats(ref writer, d.RecurrenceBias);
            WriteFloats(ref writer, d.Peepholes);
            WriteFloats(ref writer, d.InitialHidden);
            WriteFloats(ref writer, d.InitialCell);
        }
    }

    private static void WriteMatrix(ref MessagePackWriter writer, WeightMatrix m)
    {
        writer.WriteArrayHeader(4);
        writer.Write(m.Rows);
        writer.Write(m.Columns);
        if (m.Values is not null)
        {
            WriteFloats(ref writer, m.Values);
            writer.WriteNil();
        }
        else
        {
            writer.Write(MemoryMarshal.AsBytes(m.Quantized.AsSpan()));
            WriteFloats(ref writer, m.RowScales);
        }
    }

    /// <summary>float32 arrays travel as bin: little-endian IEEE-754, 4 bytes each; null as nil.</summary>
    private static void WriteFloats(ref MessagePackWriter writer, float[]? values)
    {
        if (values is null)
        {
            writer.WriteNil();
            return;
        }
        if (BitConverter.IsLittleEndian)
        {
            writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        writer.Write(bytes);
    }
}
