using Nephele.Core.Protocols;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb.Expressions;

/// <summary>
/// Applies parsed update actions to an item: every operand is read from the item as it was before the update,
/// then SET, REMOVE, ADD and DELETE are applied; the original item is never modified.
/// </summary>
internal static class UpdateApplier
{
    private static AwsException IncorrectDataType() =>
        AwsException.Validation("An operand in the update expression has an incorrect data type");

    private static AwsException InvalidPath() =>
        AwsException.Validation("The document path provided in the update expression is invalid for update");

    public static Dictionary<string, AttributeValue> Apply(IReadOnlyDictionary<string, AttributeValue> original, IReadOnlyList<UpdateAction> actions)
    {
        var sets = actions.Where(a => a.Kind == UpdateActionKind.Set).Select(a => (a.Path, Value: Evaluate(a.Value!, original))).ToList();
        var item = new Dictionary<string, AttributeValue>(original, StringComparer.Ordinal);
        foreach (var (path, value) in sets)
            Set(item, path, value);
        // Later list indexes first, so each REMOVE refers to the list as it was.
        foreach (var action in actions.Where(a => a.Kind == UpdateActionKind.Remove)
                     .OrderByDescending(a => a.Path.Elements[^1].IsIndex ? a.Path.Elements[^1].Index : -1))
            Remove(item, action.Path);
        foreach (var action in actions.Where(a => a.Kind == UpdateActionKind.Add))
            Add(item, action.Path, Evaluate(action.Value!, original));
        foreach (var action in actions.Where(a => a.Kind == UpdateActionKind.Delete))
            Delete(item, action.Path, Evaluate(action.Value!, original));
        return item;
    }

    private static AttributeValue Evaluate(Operand operand, IReadOnlyDictionary<string, AttributeValue> item)
    {
        switch (operand)
        {
            case ValueOperand v: return v.Value;
            case PathOperand p:
                return Documents.Get(item, p.Path)
                    ?? throw AwsException.Validation("The provided expression refers to an attribute that does not exist in the item");
            case IfNotExistsOperand i: return Documents.Get(item, i.Path) ?? Evaluate(i.Fallback, item);
            case ListAppendOperand l:
                {
                    var first = Evaluate(l.First, item);
                    var second = Evaluate(l.Second, item);
                    if (first.Type != AttributeType.L || second.Type != AttributeType.L) throw IncorrectDataType();
                    return AttributeValue.FromL([.. first.L!, .. second.L!]);
                }
            case ArithmeticOperand a:
                {
                    var left = Evaluate(a.Left, item);
                    var right = Evaluate(a.Right, item);
                    if (left.Type != AttributeType.N || right.Type != AttributeType.N) throw IncorrectDataType();
                    return AttributeValue.FromN(a.Operator == '+' ? left.N.Add(right.N) : left.N.Add(right.N.Negate()));
                }
            default: throw IncorrectDataType();
        }
    }

    private static void Set(Dictionary<string, AttributeValue> item, DocumentPath path, AttributeValue value)
    {
        if (path.Elements.Count == 1)
        {
            item[path.Root] = value;
            return;
        }
        if (!item.TryGetValue(path.Root, out var current)) throw InvalidPath();
        item[path.Root] = SetIn(current, path.Elements, 1, value);
    }

    private static AttributeValue SetIn(AttributeValue current, IReadOnlyList<PathElement> elements, int i, AttributeValue value)
    {
        var e = elements[i];
        var last = i == elements.Count - 1;
        if (e.IsIndex)
        {
            if (current.Type != AttributeType.L) throw InvalidPath();
            var list = new List<AttributeValue>(current.L!);
            if (e.Index < list.Count) list[e.Index] = last ? value : SetIn(list[e.Index], elements, i + 1, value);
            else if (last) list.Add(value); // An index past the end appends.
            else throw InvalidPath();
            return AttributeValue.FromL(list);
        }
        if (current.Type != AttributeType.M) throw InvalidPath();
        var map = new Dictionary<string, AttributeValue>(current.M!, StringComparer.Ordinal);
        if (last) map[e.Name!] = value;
        else map[e.Name!] = map.TryGetValue(e.Name!, out var child) ? SetIn(child, elements, i + 1, value) : throw InvalidPath();
        return AttributeValue.FromM(map);
    }

    private static void Remove(Dictionary<string, AttributeValue> item, DocumentPath path)
    {
        if (path.Elements.Count == 1)
        {
            item.Remove(path.Root);
            return;
        }
        if (item.TryGetValue(path.Root, out var current) && RemoveIn(current, path.Elements, 1) is { } updated)
            item[path.Root] = updated;
    }

    /// <summary>The container without the path's target, or null when there is nothing to remove.</summary>
    private static AttributeValue? RemoveIn(AttributeValue current, IReadOnlyList<PathElement> elements, int i)
    {
        var e = elements[i];
        var last = i == elements.Count - 1;
        if (e.IsIndex)
        {
            if (current.Type != AttributeType.L || e.Index >= current.L!.Count) return null;
            var list = new List<AttributeValue>(current.L);
            if (last) list.RemoveAt(e.Index);
            else if (RemoveIn(list[e.Index], elements, i + 1) is { } child) list[e.Index] = child;
            else return null;
            return AttributeValue.FromL(list);
        }
        if (current.Type != AttributeType.M || !current.M!.TryGetValue(e.Name!, out var value)) return null;
        var map = new Dictionary<string, AttributeValue>(current.M, StringComparer.Ordinal);
        if (last) map.Remove(e.Name!);
        else if (RemoveIn(value, elements, i + 1) is { } child) map[e.Name!] = child;
        else return null;
        return AttributeValue.FromM(map);
    }

    private static void Add(Dictionary<string, AttributeValue> item, DocumentPath path, AttributeValue operand)
    {
        if (operand.Type is not (AttributeType.N or AttributeType.SS or AttributeType.NS or AttributeType.BS))
            throw ExpressionErrors.Invalid("UpdateExpression", $"Incorrect operand type for operator or function; operator: ADD, operand type: {TypeWord(operand.Type)}");
        var existing = Documents.Get(item, path);
        AttributeValue result;
        if (existing is null) result = operand;
        else if (existing.Type != operand.Type) throw IncorrectDataType();
        else if (operand.Type == AttributeType.N) result = AttributeValue.FromN(existing.N.Add(operand.N));
        else result = Union(existing, operand);
        Set(item, path, result);
    }

    private static void Delete(Dictionary<string, AttributeValue> item, DocumentPath path, AttributeValue operand)
    {
        if (!operand.IsSet)
            throw ExpressionErrors.Invalid("UpdateExpression", $"Incorrect operand type for operator or function; operator: DELETE, operand type: {TypeWord(operand.Type)}");
        if (Documents.Get(item, path) is not { } existing) return;
        if (existing.Type != operand.Type) throw IncorrectDataType();
        var remaining = operand.Type switch
        {
            AttributeType.SS => existing.SS!.Except(operand.SS!, StringComparer.Ordinal).ToList() is { Count: > 0 } ss ? AttributeValue.FromSS(ss) : null,
            AttributeType.NS => existing.NS!.Except(operand.NS!).ToList() is { Count: > 0 } ns ? AttributeValue.FromNS(ns) : null,
            _ => existing.BS!.Where(b => !operand.BS!.Any(o => o.AsSpan().SequenceEqual(b))).ToList() is { Count: > 0 } bs ? AttributeValue.FromBS(bs) : null,
        };
        // A set emptied by DELETE is removed: DynamoDB has no empty sets.
        if (remaining is null) Remove(item, path);
        else Set(item, path, remaining);
    }

    private static AttributeValue Union(AttributeValue a, AttributeValue b) => a.Type switch
    {
        AttributeType.SS => AttributeValue.FromSS(a.SS!.Union(b.SS!, StringComparer.Ordinal).ToList()),
        AttributeType.NS => AttributeValue.FromNS(a.NS!.Union(b.NS!).ToList()),
        _ => AttributeValue.FromBS([.. a.BS!, .. b.BS!.Where(x => !a.BS!.Any(y => y.AsSpan().SequenceEqual(x)))]),
    };

    private static string TypeWord(AttributeType type) => type switch
    {
        AttributeType.S => "STRING",
        AttributeType.N => "NUMBER",
        AttributeType.B => "BINARY",
        AttributeType.BOOL => "BOOLEAN",
        AttributeType.NULL => "NULL",
        AttributeType.L => "LIST",
        AttributeType.M => "MAP",
        _ => type.ToString(),
    };
}
