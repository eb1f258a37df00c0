using System.Globalization;
using System.Runtime.CompilerServices;
using Nephele.Core.Models;
using Nephele.Core.Protocols.Xml;

namespace Nephele.Core.Protocols.Query;

/// <summary>
/// Reads form parameters into protocol values, driven by the input shape. Query: members by locationName
/// or name, <c>List.member.N</c> (or the list member's locationName), flattened <c>List.N</c>,
/// <c>Map.entry.N.key/value</c> (or flattened <c>Map.N.key</c>, key/value locationNames respected).
/// EC2: members by queryName, else the capitalized locationName or name, and every list is flattened.
/// </summary>
public sealed class QueryInputReader
{
    public static QueryInputReader Query { get; } = new(ec2: false);
    public static QueryInputReader Ec2 { get; } = new(ec2: true);

    private readonly bool _ec2;
    private readonly ConditionalWeakTable<Shape, string[]> _names = [];

    private QueryInputReader(bool ec2) => _ec2 = ec2;

    /// <summary>Reads <paramref name="input"/>'s members; a value that does not parse as its type is AWS's InvalidParameterValue.</summary>
    public Dictionary<string, object?> Read(Shape? input, IEnumerable<KeyValuePair<string, string>> parameters)
        => input is null ? [] : ReadStructure(ParamNode.Build(parameters), input);

    /// <summary>The parameter name of each member of <paramref name="shape"/>, in member order.</summary>
    public IReadOnlyList<string> MemberNames(Shape shape) => _names.GetValue(shape, s => s.Members.Select(WireName).ToArray());

    private string WireName(Member m)
    {
        if (!_ec2) return m.LocationName ?? m.Shape.LocationName ?? m.Name;
        if (m.QueryName is { } q) return q;
        var name = m.LocationName ?? m.Shape.LocationName ?? m.Name;
        return name.Length > 0 && char.IsLower(name[0]) ? string.Concat(char.ToUpperInvariant(name[0]).ToString(), name.AsSpan(1)) : name;
    }

    private Dictionary<string, object?> ReadStructure(ParamNode node, Shape shape)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var names = MemberNames(shape);
        for (var i = 0; i < shape.Members.Count; i++)
        {
            var member = shape.Members[i];
            var child = node.Child(names[i]);
            // Real query clients name a flattened list by its item's locationName (SQS: AttributeName.1).
            if (child is null && !_ec2 && member.Flattened && member.Shape.Type == ShapeType.List && member.Shape.Member!.LocationName is { } itemName)
                child = node.Child(itemName);
            if (child is null) continue;
            if (ReadValue(member, child) is { } value) result[member.Name] = value;
        }
        return result;
    }

    private object? ReadValue(Member member, ParamNode node)
    {
        var shape = member.Shape;
        switch (shape.Type)
        {
            case ShapeType.Structure:
                return ReadStructure(node, shape);
            case ShapeType.List:
                var item = shape.Member!;
                var items = _ec2 || member.Flattened ? node : node.Child(item.LocationName ?? "member");
                var list = new List<object?>();
                // "List=" with no items is how clients send an empty list.
                if (items is null) return list;
                foreach (var child in items.Indexed())
                    list.Add(ReadValue(item, child));
                return list;
            case ShapeType.Map:
                var entries = member.Flattened ? node : node.Child("entry");
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                if (entries is null) return map;
                var keyName = shape.Key!.LocationName ?? "key";
                var valueName = shape.Value!.LocationName ?? "value";
                foreach (var entry in entries.Indexed())
                {
                    if (entry.Child(keyName)?.Value is not { } key) continue;
                    map[key] = entry.Child(valueName) is { } v ? ReadValue(shape.Value, v) : null;
                }
                return map;
            default:
                if (node.Value is not { } text) return null;
                return XmlScalars.TryParse(shape, text, out var value) ? value
                    : throw new AwsException("InvalidParameterValue",
                        $"Value ({text}) for parameter {node.Key} is invalid. Expected: '{TypeName(shape.Type)}'.", 400);
        }
    }

    private static string TypeName(ShapeType type) => type switch
    {
        ShapeType.Byte or ShapeType.Short or ShapeType.Integer => "integer",
        ShapeType.Long or ShapeType.BigInteger => "long",
        ShapeType.Float or ShapeType.Double or ShapeType.BigDecimal => "double",
        ShapeType.Boolean => "boolean",
        ShapeType.Timestamp => "timestamp",
        ShapeType.Blob => "base64-encoded binary",
        _ => "string",
    };

    /// <summary>The parameters as a tree split on '.', so shapes can walk it instead of matching key strings.</summary>
    private sealed class ParamNode
    {
        private Dictionary<string, ParamNode>? _children;

        public string Key { get; private init; } = "";
        public string? Value { get; private set; }

        public ParamNode? Child(string name) => _children?.GetValueOrDefault(name);

        /// <summary>The children named 1, 2, 3 ... in numeric order (clients number list items and map entries from 1).</summary>
        public IEnumerable<ParamNode> Indexed()
        {
            if (_children is null) return [];
            var indexed = new List<(int Index, ParamNode Node)>(_children.Count);
            foreach (var (name, node) in _children)
                if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var i)) indexed.Add((i, node));
            indexed.Sort(static (a, b) => a.Index.CompareTo(b.Index));
            return indexed.Select(static x => x.Node);
        }

        public static ParamNode Build(IEnumerable<KeyValuePair<string, string>> parameters)
        {
            var root = new ParamNode();
            foreach (var (key, value) in parameters)
            {
                var node = root;
                var start = 0;
                while (true)
                {
                    var dot = key.IndexOf('.', start);
                    var segment = dot < 0 ? key[start..] : key[start..dot];
                    node._children ??= new(StringComparer.Ordinal);
                    if (!node._children.TryGetValue(segment, out var next))
                        node._children[segment] = next = new ParamNode { Key = dot < 0 ? key : key[..dot] };
                    node = next;
                    if (dot < 0) break;
                    start = dot + 1;
                }
                // The first of repeated keys wins, as QueryMap.Get reads them.
                node.Value ??= value;
            }
            return root;
        }
    }
}
