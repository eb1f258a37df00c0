using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb.Expressions;

/// <summary>Reading document paths out of items.</summary>
internal static class Documents
{
    /// <summary>The value at <paramref name="path"/>, or null when any step is missing or of the wrong type.</summary>
    public static AttributeValue? Get(IReadOnlyDictionary<string, AttributeValue>? item, DocumentPath path)
    {
        if (item is null || !item.TryGetValue(path.Root, out var current)) return null;
        for (var i = 1; i < path.Elements.Count; i++)
        {
            var e = path.Elements[i];
            if (e.IsIndex)
            {
                if (current.Type != AttributeType.L || e.Index >= current.L!.Count) return null;
                current = current.L[e.Index];
            }
            else
            {
                if (current.Type != AttributeType.M || !current.M!.TryGetValue(e.Name!, out var next)) return null;
                current = next;
            }
        }
        return current;
    }

    /// <summary>
    /// The item reduced to <paramref name="paths"/>, nested structure kept; list elements picked by index are
    /// kept in index order and renumbered, as DynamoDB returns them.
    /// </summary>
    public static Dictionary<string, AttributeValue> Project(IReadOnlyDictionary<string, AttributeValue> item, IReadOnlyList<DocumentPath> paths)
    {
        var root = new Node();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var e in path.Elements)
                node = node.Child(e);
            node.Whole = true;
        }
        var result = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var (element, child) in root.Children)
            if (item.TryGetValue(element.Name!, out var value) && child.Apply(value) is { } projected)
                result[element.Name!] = projected;
        return result;
    }

    private sealed class Node
    {
        public bool Whole;
        public readonly List<(PathElement Element, Node Node)> Children = [];

        public Node Child(PathElement e)
        {
            foreach (var (element, node) in Children)
                if (element == e) return node;
            var child = new Node();
            Children.Add((e, child));
            return child;
        }

        public AttributeValue? Apply(AttributeValue value)
        {
            if (Whole) return value;
            if (value.Type == AttributeType.M && Children.All(c => !c.Element.IsIndex))
            {
                var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
                foreach (var (element, node) in Children)
                    if (value.M!.TryGetValue(element.Name!, out var v) && node.Apply(v) is { } p)
                        map[element.Name!] = p;
                return map.Count == 0 ? null : AttributeValue.FromM(map);
            }
            if (value.Type == AttributeType.L && Children.All(c => c.Element.IsIndex))
            {
                var list = new List<AttributeValue>();
                foreach (var (element, node) in Children.OrderBy(c => c.Element.Index))
                    if (element.Index < value.L!.Count && node.Apply(value.L[element.Index]) is { } p)
                        list.Add(p);
                return list.Count == 0 ? null : AttributeValue.FromL(list);
            }
            return null;
        }
    }
}
