using CsCheck;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core;
using Google.Protobuf;

namespace EdgeLstm.Convert.Tests;

/// <summary>
/// The ONNX importer on mutations of every committed .onnx fixture: each is refused with a <see cref="ConversionException"/>
/// (exit 2 with one line from the command line) or converted. Never another exception, never a hang, and never more
/// than a bounded amount of memory.
/// </summary>
public sealed class ImporterFuzzTests : IDisposable
{
    private const int Cases = 10_000;
    private static readonly TimeSpan CaseDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Most a case may allocate: the folding budget (64 M values as int64) and the model with room to spare.</summary>
    private const long AllocationBound = 1L << 30;

    private static readonly long[] HostileIntegers = [-1, 0, 1, 2, 3, -2, 7, 1 << 16, int.MaxValue, 1L << 31, 1L << 40, long.MaxValue, long.MinValue, -(1L << 40)];
    private static readonly string[] ShapeOps = ["Gather", "Concat", "Slice", "Reshape", "Transpose", "Unsqueeze", "Squeeze", "Identity", "Cast", "Expand", "Tile", "Shape"];

    /// <summary>Every .onnx file committed to the repository: this project's fixtures, the demo board's model, the trained models.</summary>
    private static readonly (string Name, byte[] Bytes)[] Fixtures =
        [.. Directory.EnumerateFiles(Repository.Root, "*.onnx", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Repository.Root, p))
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git"))
            .Order(StringComparer.Ordinal)
            .Select(p => (p, File.ReadAllBytes(Path.Combine(Repository.Root, p))))];

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Mutated_fixtures_are_refused_with_a_conversion_error_or_converted()
    {
        Assert.True(Fixtures.Length >= 100, $"{Fixtures.Length} .onnx files");
        int converted = 0, refused = 0;
        Gen.Select(Gen.Int[0, Fixtures.Length - 1], Gen.Int.Uniform, Gen.Int[1, 3]).Sample((fixture, seed, mutations) =>
        {
            var random = new Random(seed);
            (string name, byte[] original) = Fixtures[fixture];
            byte[] bytes = Mutate(original, random, mutations);
            string where = $"{name} seed {seed} mutations {mutations}";
            Task<bool> import = Task.Run(() => Import(bytes, where));
            Assert.True(import.Wait(CaseDeadline), $"no answer within {CaseDeadline.TotalSeconds} s: {where}");
            if (import.Result) Interlocked.Increment(ref converted);
            else Interlocked.Increment(ref refused);
            if (seed % 200 == 0) ThroughTheCommandLine(bytes, where);
        }, iter: Cases, print: t => $"{Fixtures[t.Item1].Name} seed {t.Item2} mutations {t.Item3}");

        // Both ends are reached: the mutations break models, and not all of them.
        Assert.True(converted > Cases / 50 && refused > Cases / 5, $"{converted} converted, {refused} refused");
    }

    [Fact]
    public void A_squeeze_naming_millions_of_axes_is_refused_before_it_allocates()
    {
        // Found by this fuzzer in CI: a Concat of mutated constants gave a Squeeze 13.5 M axes, and applying them one
        // by one to a sequence allocated 3.3 GB before the refusal.
        byte[] original = File.ReadAllBytes(Path.Combine(Repository.Root, "tools/train/skab/models/strict/valve1-11.onnx"));
        Assert.False(Import(Mutate(original, new Random(-1223862707), 3), "valve1-11.onnx seed -1223862707 mutations 3"));
    }

    /// <summary>True when converted, false when refused with a <see cref="ConversionException"/>; anything else fails.</summary>
    private static bool Import(byte[] bytes, string where)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            ModelProto model = OnnxFile.Parse(bytes, "fuzz.onnx");
            ImportedModel imported = GraphImporter.Import(model, "fuzz.onnx");
            imported.Model.Validate();
            return true;
        }
        catch (ConversionException e)
        {
            Assert.StartsWith("fuzz.onnx", e.Message);
            return false;
        }
        finally
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationBound, $"{allocated:N0} bytes allocated: {where}");
        }
    }

    private void ThroughTheCommandLine(byte[] bytes, string where)
    {
        string path = _cli.PathOf($"{Guid.NewGuid():n}.onnx");
        File.WriteAllBytes(path, bytes);
        (int code, _, string error) = CliHarness.Run(["convert", path, "-o", path + ".elstm", "--window", "8"]);
        Assert.True(code is ExitCodes.Success or ExitCodes.BadInput, $"exit {code}: {error} ({where})");
        if (code == ExitCodes.BadInput)
        {
            Assert.StartsWith("error: ", error);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    /// <summary>Structural mutations of the parsed model (attributes, shapes, indices, wiring, op types, huge unused folds) or of its bytes.</summary>
    private static byte[] Mutate(byte[] original, Random random, int count)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(original);
        bool flipBytes = false;
        for (int m = 0; m < count; m++)
        {
            GraphProto graph = model.Graph;
            NodeProto node = graph.Node[random.Next(graph.Node.Count)];
            switch (random.Next(9))
            {
                case 0 when node.Attribute.Count > 0:
                {
                    AttributeProto a = node.Attribute[random.Next(node.Attribute.Count)];
                    if (a.Ints.Count > 0) a.Ints[random.Next(a.Ints.Count)] = Pick(random);
                    else a.I = Pick(random);
                    break;
                }
                case 1 when graph.Initializer.Count > 0:
                {
                    TensorProto t = graph.Initializer[random.Next(graph.Initializer.Count)];
                    if (t.Dims.Count > 0) t.Dims[random.Next(t.Dims.Count)] = Pick(random);
                    break;
                }
                case 2 when graph.Initializer.Count > 0:
                {
                    // Integer constants are shapes, axes and indices: make one hostile.
                    TensorProto t = graph.Initializer[random.Next(graph.Initializer.Count)];
                    if (t.DataType == 7 && t.RawData.Length >= 8)
                    {
                        byte[] raw = t.RawData.ToByteArray();
                        BitConverter.TryWriteBytes(raw.AsSpan(random.Next(raw.Length / 8) * 8), Pick(random));
                        t.RawData = ByteString.CopyFrom(raw);
                    }
                    else if (t.Int64Data.Count > 0)
                    {
                        t.Int64Data[random.Next(t.Int64Data.Count)] = Pick(random);
                    }

                    break;
                }
                case 3 when node.Input.Count > 0:
                {
                    // Rewire an input to another value of the graph.
                    var names = graph.Node.SelectMany(n => n.Output).Concat(graph.Initializer.Select(i => i.Name)).ToArray();
                    node.Input[random.Next(node.Input.Count)] = names[random.Next(names.Length)];
                    break;
                }
                case 4:
                    node.OpType = ShapeOps[random.Next(ShapeOps.Length)];
                    break;
                case 5 when graph.Node.Count > 1:
                    graph.Node.RemoveAt(random.Next(graph.Node.Count));
                    break;
                case 6:
                    AddFold(graph, random, used: random.Next(4) == 0);
                    break;
                case 7 when node.Input.Count > 0:
                {
                    // A Concat of one value with itself many times over.
                    string input = node.Input[random.Next(node.Input.Count)];
                    var concat = new NodeProto { OpType = "Concat", Name = "fuzz_concat", Output = { input + "_fuzz" } };
                    concat.Attribute.Add(new AttributeProto { Name = "axis", I = 0, Type = AttributeProto.Types.AttributeType.Int });
                    concat.Input.AddRange(Enumerable.Repeat(input, random.Next(2, 5000)));
                    graph.Node.Insert(graph.Node.IndexOf(node), concat);
                    node.Input[node.Input.IndexOf(input)] = input + "_fuzz";
                    break;
                }
                default:
                    flipBytes = true;
                    break;
            }
        }

        byte[] bytes = model.ToByteArray();
        if (flipBytes)
        {
            for (int i = random.Next(1, 5); i > 0; i--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }

        return bytes;
    }

    /// <summary>
    /// A Gather whose result can be huge (a 16 Ki-float row gathered up to 50,000 times: 3.3 GB) from a few hundred KB of
    /// file. Unused, it must not be folded at all; used (an extra graph output), small or refused.
    /// </summary>
    private static void AddFold(GraphProto graph, Random random, bool used)
    {
        string id = random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var data = new TensorProto { Name = "fuzz_data" + id, DataType = 1, Dims = { 1, 16_384 }, RawData = ByteString.CopyFrom(new byte[16_384 * 4]) };
        int count = used ? (int)HostileIntegers.Where(n => n is > 0 and < 100_000).Append(50_000).ElementAt(random.Next(5)) : random.Next(1, 50_000);
        var indices = new TensorProto { Name = "fuzz_indices" + id, DataType = 7, Dims = { count }, RawData = ByteString.CopyFrom(new byte[count * 8]) };
        graph.Initializer.Add(data);
        graph.Initializer.Add(indices);
        var gather = new NodeProto { OpType = "Gather", Name = "fuzz_gather" + id, Input = { data.Name, indices.Name }, Output = { "fuzz_gathered" + id } };
        graph.Node.Insert(0, gather);
        if (used) graph.Output.Add(new ValueInfoProto { Name = gather.Output[0] });
    }

    private static long Pick(Random random) => HostileIntegers[random.Next(HostileIntegers.Length)];
}
