using EdgeLstm.Convert.Onnx.Proto;

namespace EdgeLstm.Convert.Onnx;

/// <summary>
/// Evaluates the data-movement operators exporters apply to constants — torch with <c>do_constant_folding=False</c>
/// slices, concatenates and unsqueezes its parameters into W, R and B inside the graph. Only exact copies are
/// folded (no arithmetic), so a folded weight is bit-identical to what ONNX Runtime computes.
/// </summary>
/// <remarks>
/// Every folded tensor is at most <see cref="MaxElements"/> values and every axis, index and permutation is checked
/// before it is used, so a small hostile file cannot ask for gigabytes or index outside a tensor; the importer folds
/// only nodes the recurrent layers or the graph's output depend on (<see cref="GraphImporter"/>).
/// </remarks>
internal static class ConstantFolding
{
    /// <summary>The most values one folded tensor may hold: as many float32 values as the largest .elstm payload.</summary>
    public const long MaxElements = EdgeLstm.Core.Format.ModelFile.MaxPayloadLength / sizeof(float);

    /// <summary>The folded result, or null when the operator is not one this folds (the caller then treats it as a run-time value).</summary>
    /// <param name="node">The node.</param>
    /// <param name="inputs">Its inputs; null where an input is not a constant.</param>
    /// <param name="opset">The model's opset.</param>
    /// <param name="where">Names the node in errors.</param>
    /// <param name="maxElements">The most values the result may hold (what is left of the importer's folding budget).</param>
    /// <exception cref="ConversionException">The result would hold more than <paramref name="maxElements"/> values, or an index is out of range.</exception>
    public static TensorData? TryFold(NodeProto node, IReadOnlyList<TensorData?> inputs, int opset, string where, long maxElements = MaxElements)
    {
        if (inputs.Count == 0 || inputs[0] is not { } data) return null;
        var a = new NodeAttributes(node, where);
        switch (node.OpType)
        {
            case "Identity":
                return data;
            case "Cast":
                return a.Int("to", 1) switch
                {
                    1 or 11 => TensorData.FromFloats("", data.Dims, data.AsFloats()),
                    6 or 7 => data.Integers is { } ints ? data : TensorData.FromIntegers("", data.Dims, [.. data.Floats!.Select(v => (long)v)]),
                    _ => null,
                };
            case "Unsqueeze":
            {
                long[]? axes = opset >= 13 ? Ints(inputs, 1, where) : a.Ints("axes");
                if (axes is null) return null;
                int rank = data.Dims.Length + axes.Length;
                long[] normalized = [.. axes.Select(x => x < 0 ? x + rank : x).Order()];
                if (normalized.Any(x => x < 0 || x >= rank) || normalized.Distinct().Count() != normalized.Length) return null;
                var dims = new List<long>(data.Dims);
                foreach (long x in normalized) dims.Insert((int)x, 1);
                return Reshaped(data, [.. dims]);
            }
            case "Squeeze":
            {
                long[]? axes = opset >= 13 ? (inputs.Count > 1 ? Ints(inputs, 1, where) : null) : a.Ints("axes");
                int rank = data.Dims.Length;
                HashSet<long> drop = axes is null
                    ? [.. Enumerable.Range(0, rank).Where(i => data.Dims[i] == 1).Select(i => (long)i)]
                    : [.. axes.Select(x => x < 0 ? x + rank : x)];
                if (drop.Any(x => x < 0 || x >= rank || data.Dims[x] != 1)) return null;
                return Reshaped(data, [.. data.Dims.Where((_, i) => !drop.Contains(i))]);
            }
            case "Reshape":
            {
                long[]? shape = Ints(inputs, 1, where);
                if (shape is null) return null;
                if (shape.Any(d => d < -1) || shape.Select((d, i) => d == 0 && i >= data.Dims.Length).Any(bad => bad)) return null;
                long[] dims = [.. shape.Select((d, i) => d == 0 && a.Int("allowzero", 0) == 0 ? data.Dims[i] : d)];
                long known = dims.Where(d => d != -1).Aggregate(1L, (x, y) => x * y);
                if (dims.Count(d => d == -1) > 1 || known == 0) return null;
                if (dims.Contains(-1)) dims[Array.IndexOf(dims, -1L)] = data.ElementCount / known;
                return Count(dims, where, long.MaxValue) == data.ElementCount ? Reshaped(data, dims) : null;
            }
            case "Transpose":
            {
                int rank = data.Dims.Length;
                long[] perm = a.Ints("perm") ?? [.. Enumerable.Range(0, rank).Reverse().Select(i => (long)i)];
                if (perm.Length != rank || !perm.Order().SequenceEqual(Enumerable.Range(0, rank).Select(i => (long)i))) return null;
                long[] dims = [.. perm.Select(p => data.Dims[p])];
                long[] inStrides = Strides(data.Dims);
                return Gathered(data, dims, where, maxElements, outIndex =>
                {
                    long offset = 0;
                    for (int i = 0; i < rank; i++) offset += outIndex[i] * inStrides[perm[i]];
                    return offset;
                });
            }
            case "Slice":
            {
                if (opset < 10) return null;
                long[]? starts = Ints(inputs, 1, where), ends = Ints(inputs, 2, where);
                if (starts is null || ends is null) return null;
                int rank = data.Dims.Length;
                long[] axes = inputs.Count > 3 && inputs[3] is not null ? Ints(inputs, 3, where)! : [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
                long[] steps = inputs.Count > 4 && inputs[4] is not null ? Ints(inputs, 4, where)! : [.. starts.Select(_ => 1L)];
                if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length
                    || axes.Any(x => x < -rank || x >= rank))
                {
                    return null;
                }

                long[] begin = new long[rank], step = [.. Enumerable.Repeat(1L, rank)], dims = (long[])data.Dims.Clone();
                for (int k = 0; k < axes.Length; k++)
                {
                    int axis = (int)(axes[k] < 0 ? axes[k] + rank : axes[k]);
                    long size = data.Dims[axis];
                    if (steps[k] <= 0) return null;
                    long s = Math.Clamp(starts[k] < 0 ? starts[k] + size : starts[k], 0, size);
                    long e = Math.Clamp(ends[k] < 0 ? ends[k] + size : ends[k], 0, size);
                    begin[axis] = s;
                    step[axis] = steps[k];
                    dims[axis] = Math.Max(0, (e - s + steps[k] - 1) / steps[k]);
                }
                long[] inStrides = Strides(data.Dims);
                return Gathered(data, dims, where, maxElements, outIndex =>
                {
                    long offset = 0;
                    for (int i = 0; i < rank; i++) offset += (begin[i] + outIndex[i] * step[i]) * inStrides[i];
                    return offset;
                });
            }
            case "Gather":
            {
                if (inputs.Count < 2 || inputs[1] is not { Integers: { } indices } indexTensor) return null;
                int rank = data.Dims.Length;
                long axisAttr = a.Int("axis", 0);
                if (axisAttr < -rank || axisAttr >= rank) return null;
                int axis = (int)(axisAttr < 0 ? axisAttr + rank : axisAttr);
                foreach (long i in indices)
                {
                    if (i < -data.Dims[axis] || i >= data.Dims[axis])
                        throw new ConversionException($"{where}: gathers index {i} from an axis of {data.Dims[axis]}.");
                }

                long[] dims = [.. data.Dims.Take(axis), .. indexTensor.Dims, .. data.Dims.Skip(axis + 1)];
                long[] inStrides = Strides(data.Dims);
                int indexRank = indexTensor.Dims.Length;
                long[] indexStrides = Strides(indexTensor.Dims);
                return Gathered(data, dims, where, maxElements, outIndex =>
                {
                    long flatIndex = 0;
                    for (int i = 0; i < indexRank; i++) flatIndex += outIndex[axis + i] * indexStrides[i];
                    long chosen = indices[flatIndex] < 0 ? indices[flatIndex] + data.Dims[axis] : indices[flatIndex];
                    long offset = chosen * inStrides[axis];
                    for (int i = 0; i < axis; i++) offset += outIndex[i] * inStrides[i];
                    for (int i = axis + 1; i < rank; i++) offset += outIndex[i + indexRank - 1] * inStrides[i];
                    return offset;
                });
            }
            case "Concat":
            {
                if (inputs.Any(t => t is null) || inputs.Select(t => t!.Floats is null).Distinct().Count() != 1) return null;
                int rank = data.Dims.Length;
                long axisAttr = a.Int("axis", 0);
                if (axisAttr < -rank || axisAttr >= rank) return null;
                int axis = (int)(axisAttr < 0 ? axisAttr + rank : axisAttr);
                TensorData[] parts = [.. inputs.Select(t => t!)];
                if (parts.Any(p => p.Dims.Length != rank || Enumerable.Range(0, rank).Any(i => i != axis && p.Dims[i] != data.Dims[i]))) return null;
                long[] dims = (long[])data.Dims.Clone();
                dims[axis] = parts.Sum(p => p.Dims[axis]);
                Count(dims, where, maxElements);
                long outer = data.Dims.Take(axis).Aggregate(1L, (x, y) => x * y);
                return data.Floats is not null
                    ? TensorData.FromFloats("", dims, ConcatBlocks(parts.Select(p => p.Floats!).ToArray(), parts.Select(p => Block(p, axis)).ToArray(), outer))
                    : TensorData.FromIntegers("", dims, ConcatBlocks(parts.Select(p => p.Integers!).ToArray(), parts.Select(p => Block(p, axis)).ToArray(), outer));
            }
            default:
                return null;
        }
    }

    private static long[]? Ints(IReadOnlyList<TensorData?> inputs, int index, string where) =>
        index < inputs.Count && inputs[index] is { } t ? t.AsIntegers(where) : null;

    private static TensorData Reshaped(TensorData t, long[] dims) =>
        t.Floats is not null ? TensorData.FromFloats("", dims, t.Floats) : TensorData.FromIntegers("", dims, t.Integers!);

    private static long[] Strides(long[] dims)
    {
        var strides = new long[dims.Length];
        long s = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= dims[i];
        }
        return strides;
    }

    /// <summary>Builds a tensor of shape <paramref name="dims"/> whose element at each index comes from <paramref name="source"/>(index).</summary>
    private static TensorData Gathered(TensorData data, long[] dims, string where, long maxElements, Func<long[], long> source)
    {
        long count = Count(dims, where, maxElements);
        // The result only: no index map beside it (it would take twice the result's memory).
        return data.Floats is { } f
            ? TensorData.FromFloats("", dims, Fill(f, dims, count, source))
            : TensorData.FromIntegers("", dims, Fill(data.Integers!, dims, count, source));
    }

    private static T[] Fill<T>(T[] from, long[] dims, long count, Func<long[], long> source)
    {
        var result = new T[count];
        var index = new long[dims.Length];
        for (long n = 0; n < count; n++)
        {
            result[n] = from[source(index)];
            for (int i = dims.Length - 1; i >= 0; i--)
            {
                if (++index[i] < dims[i]) break;
                index[i] = 0;
            }
        }

        return result;
    }

    /// <summary>The element count of <paramref name="dims"/>; a negative axis or more than <paramref name="limit"/> values is refused.</summary>
    private static long Count(long[] dims, string where, long limit)
    {
        limit = Math.Min(limit, MaxElements);
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0) throw new ConversionException($"{where}: a folded tensor would have a negative dimension ([{string.Join(", ", dims)}]).");
            if (d > 0 && count > limit / d)
                throw new ConversionException($"{where}: a folded tensor of shape [{string.Join(", ", dims)}] would hold more than {limit:N0} values, the folding budget left; a model for a board never needs one that large.");
            count *= d;
        }

        return count;
    }

    private static long Block(TensorData t, int axis) => t.Dims.Skip(axis).Aggregate(1L, (x, y) => x * y);

    private static T[] ConcatBlocks<T>(T[][] parts, long[] blocks, long outer)
    {
        var result = new T[parts.Sum(p => p.Length)];
        long offset = 0;
        for (long o = 0; o < outer; o++)
        {
            for (int p = 0; p < parts.Length; p++)
            {
                Array.Copy(parts[p], o * blocks[p], result, offset, blocks[p]);
                offset += blocks[p];
            }
        }

        return result;
    }
}
