using System.Text;
using EdgeLstm.Convert.Onnx.Proto;

namespace EdgeLstm.Convert.Onnx;

/// <summary>Typed access to a node's attributes; errors name the node.</summary>
internal sealed class NodeAttributes
{
    private readonly NodeProto _node;
    private readonly string _where;

    public NodeAttributes(NodeProto node, string where)
    {
        _node = node;
        _where = where;
    }

    private AttributeProto? Find(string name) => _node.Attribute.FirstOrDefault(a => a.Name == name);

    public bool Has(string name) => Find(name) is not null;

    public long Int(string name, long fallback) => Find(name) is { } a ? a.I : fallback;

    public float Float(string name, float fallback) => Find(name) is { } a ? a.F : fallback;

    public string String(string name, string fallback) => Find(name) is { } a ? Encoding.UTF8.GetString(a.S.Span) : fallback;

    public long[]? Ints(string name) => Find(name) is { } a ? [.. a.Ints] : null;

    public float[]? Floats(string name) => Find(name) is { } a ? [.. a.Floats] : null;

    public string[]? Strings(string name) => Find(name) is { } a ? [.. a.Strings.Select(s => Encoding.UTF8.GetString(s.Span))] : null;

    public TensorData? Tensor(string name) => Find(name) is { T: { } t } ? TensorData.FromProto(t, _where) : null;
}
