using System.Text;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb.Expressions;

/// <summary>
/// Evaluates conditions against an item (null = no item). A comparison with a missing attribute or across types
/// is false, except &lt;&gt; which is then true, as in DynamoDB.
/// </summary>
internal static class ConditionEvaluator
{
    public static bool Evaluate(Condition condition, IReadOnlyDictionary<string, AttributeValue>? item) => condition switch
    {
        AndCondition a => Evaluate(a.Left, item) && Evaluate(a.Right, item),
        OrCondition o => Evaluate(o.Left, item) || Evaluate(o.Right, item),
        NotCondition n => !Evaluate(n.Inner, item),
        CompareCondition c => Compare(c.Operator, Value(c.Left, item), Value(c.Right, item)),
        BetweenCondition b => Value(b.Value, item) is { } v && Value(b.Low, item) is { } lo && Value(b.High, item) is { } hi
            && Order(lo, v) is <= 0 && Order(v, hi) is <= 0,
        InCondition i => Value(i.Value, item) is { } v && i.Candidates.Any(c => v.Equals(Value(c, item))),
        FunctionCondition f => Function(f, item),
        _ => false,
    };

    public static AttributeValue? Value(Operand operand, IReadOnlyDictionary<string, AttributeValue>? item) => operand switch
    {
        ValueOperand v => v.Value,
        PathOperand p => Documents.Get(item, p.Path),
        SizeOperand s => Documents.Get(item, s.Path) is { } v && Size(v) is { } n ? AttributeValue.FromN(DynamoNumber.Create(n, 0)) : null,
        _ => null,
    };

    private static long? Size(AttributeValue v) => v.Type switch
    {
        AttributeType.S => Encoding.UTF8.GetByteCount(v.S!),
        AttributeType.B => v.B!.Length,
        AttributeType.L or AttributeType.M or AttributeType.SS or AttributeType.NS or AttributeType.BS => v.Count,
        _ => null,
    };

    private static bool Compare(string op, AttributeValue? left, AttributeValue? right)
    {
        if (left is null || right is null) return op == "<>";
        if (op == "=") return left.Equals(right);
        if (op == "<>") return !left.Equals(right);
        if (Order(left, right) is not { } c) return false;
        return op switch
        {
            "<" => c < 0,
            "<=" => c <= 0,
            ">" => c > 0,
            _ => c >= 0,
        };
    }

    /// <summary>DynamoDB's ordering of two scalars of the same type (N numerically, S and B by bytes), or null when not comparable.</summary>
    public static int? Order(AttributeValue a, AttributeValue b)
    {
        if (a.Type != b.Type) return null;
        return a.Type switch
        {
            AttributeType.N => a.N.CompareTo(b.N),
            AttributeType.S => Math.Sign(Core.State.KeyOrder.Compare(a.S, b.S)),
            AttributeType.B => Math.Sign(a.B.AsSpan().SequenceCompareTo(b.B)),
            _ => null,
        };
    }

    private static bool Function(FunctionCondition f, IReadOnlyDictionary<string, AttributeValue>? item)
    {
        switch (f.Name)
        {
            case "attribute_exists": return Value(f.Arguments[0], item) is not null;
            case "attribute_not_exists": return Value(f.Arguments[0], item) is null;
            case "attribute_type":
                return Value(f.Arguments[0], item) is { } v && Value(f.Arguments[1], item) is { Type: AttributeType.S } t && v.Type.ToString() == t.S;
            case "begins_with":
                {
                    if (Value(f.Arguments[0], item) is not { } s || Value(f.Arguments[1], item) is not { } prefix) return false;
                    if (s.Type == AttributeType.S && prefix.Type == AttributeType.S) return s.S!.StartsWith(prefix.S!, StringComparison.Ordinal);
                    return s.Type == AttributeType.B && prefix.Type == AttributeType.B && s.B.AsSpan().StartsWith(prefix.B);
                }
            default: // contains
                {
                    if (Value(f.Arguments[0], item) is not { } c || Value(f.Arguments[1], item) is not { } operand) return false;
                    return c.Type switch
                    {
                        AttributeType.S => operand.Type == AttributeType.S && c.S!.Contains(operand.S!, StringComparison.Ordinal),
                        AttributeType.B => operand.Type == AttributeType.B && c.B.AsSpan().IndexOf(operand.B) >= 0,
                        AttributeType.SS => operand.Type == AttributeType.S && c.SS!.Contains(operand.S!, StringComparer.Ordinal),
                        AttributeType.NS => operand.Type == AttributeType.N && c.NS!.Contains(operand.N),
                        AttributeType.BS => operand.Type == AttributeType.B && c.BS!.Any(b => b.AsSpan().SequenceEqual(operand.B)),
                        AttributeType.L => c.L!.Any(e => e.Equals(operand)),
                        _ => false,
                    };
                }
        }
    }
}
