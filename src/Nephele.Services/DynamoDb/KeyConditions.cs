using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// A Query's key condition reduced to one key range of the table or index: the partition's rows, narrowed by
/// the sort key condition (=, &lt;, &lt;=, &gt;, &gt;=, BETWEEN, begins_with), with DynamoDB's errors.
/// </summary>
internal static class KeyConditions
{
    private const string Expression = "KeyConditionExpression";

    public static KeyRange Range(Condition condition, TableRecord table, string hashKey, string? rangeKey)
    {
        var leaves = new List<Condition>();
        Flatten(condition, leaves);
        if (leaves.Count > 2) throw AwsException.Validation("Conditions can be of length 1 or 2 only");
        Condition? hash = null, sort = null;
        foreach (var leaf in leaves)
        {
            var name = KeyName(leaf);
            if (name == hashKey && hash is null) hash = leaf;
            else if (name == rangeKey && rangeKey is not null && sort is null) sort = leaf;
            else if (name != hashKey && name != rangeKey)
                throw AwsException.Validation($"Query condition missed key schema element: {(hash is null && leaves.All(l => KeyName(l) != hashKey) ? hashKey : rangeKey ?? hashKey)}");
            else throw AwsException.Validation("KeyConditionExpressions must only contain one condition per key");
        }
        if (hash is not CompareCondition { Operator: "=" } h)
            throw hash is null
                ? AwsException.Validation($"Query condition missed key schema element: {hashKey}")
                : AwsException.Validation("Query key condition not supported");
        var hashValue = Value(h.Right, table, hashKey);
        var prefix = KeyEncoding.Partition(hashValue);
        var end = KeyEncoding.After(prefix);
        if (sort is null) return new KeyRange(prefix, true, end, false);
        switch (sort)
        {
            case CompareCondition c:
                {
                    var hv = KeyEncoding.Hex(Value(c.Right, table, rangeKey!));
                    return c.Operator switch
                    {
                        "=" => new KeyRange(prefix + hv + "/", true, prefix + hv + "0", false),
                        "<" => new KeyRange(prefix, true, prefix + hv + "/", false),
                        "<=" => new KeyRange(prefix, true, prefix + hv + "0", false),
                        ">" => new KeyRange(prefix + hv + "0", true, end, false),
                        ">=" => new KeyRange(prefix + hv + "/", true, end, false),
                        _ => throw ExpressionErrors.Invalid(Expression, $"Unsupported operator on KeyConditionExpression: operator: {c.Operator}"),
                    };
                }
            case BetweenCondition b:
                {
                    var low = Value(b.Low, table, rangeKey!);
                    var high = Value(b.High, table, rangeKey!);
                    if (ConditionEvaluator.Order(low, high) > 0)
                        throw ExpressionErrors.Invalid(Expression, "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " +
                            $"lower operand: AttributeValue: {{{low.Type}:{Show(low)}}}, upper operand: AttributeValue: {{{high.Type}:{Show(high)}}}");
                    return new KeyRange(prefix + KeyEncoding.Hex(low) + "/", true, prefix + KeyEncoding.Hex(high) + "0", false);
                }
            case FunctionCondition { Name: "begins_with" } f:
                {
                    var v = Value(f.Arguments[1], table, rangeKey!);
                    if (v.Type == AttributeType.N) throw ExpressionErrors.IncorrectOperand(Expression, "begins_with", "N");
                    var hv = KeyEncoding.Hex(v);
                    return new KeyRange(prefix + hv, true, prefix + hv + "g", false);
                }
            default:
                throw AwsException.Validation("Query key condition not supported");
        }
    }

    private static string Show(AttributeValue v) => v.Type switch
    {
        AttributeType.S => v.S!,
        AttributeType.N => v.N.ToString(),
        _ => Convert.ToBase64String(v.B!),
    };

    private static void Flatten(Condition c, List<Condition> leaves)
    {
        switch (c)
        {
            case AndCondition a:
                Flatten(a.Left, leaves);
                Flatten(a.Right, leaves);
                break;
            case OrCondition:
                throw ExpressionErrors.Invalid(Expression, "Invalid operator used in KeyConditionExpression: OR");
            case NotCondition:
                throw ExpressionErrors.Invalid(Expression, "Invalid operator used in KeyConditionExpression: NOT");
            case InCondition:
                throw ExpressionErrors.Invalid(Expression, "Invalid operator used in KeyConditionExpression: IN");
            case FunctionCondition { Name: not "begins_with" } f:
                throw ExpressionErrors.Invalid(Expression, $"Invalid operator used in KeyConditionExpression: {f.Name}");
            case CompareCondition { Operator: "<>" }:
                throw ExpressionErrors.Invalid(Expression, "Invalid operator used in KeyConditionExpression: <>");
            default:
                leaves.Add(c);
                break;
        }
    }

    private static string KeyName(Condition leaf)
    {
        var operand = leaf switch
        {
            CompareCondition c => c.Left,
            BetweenCondition b => b.Value,
            FunctionCondition f => f.Arguments[0],
            _ => null,
        };
        return operand is PathOperand { Path.Elements.Count: 1 } p
            ? p.Path.Root
            : throw AwsException.Validation("Query key condition not supported");
    }

    private static AttributeValue Value(Operand operand, TableRecord table, string key)
    {
        if (operand is not ValueOperand v) throw AwsException.Validation("Query key condition not supported");
        if (v.Value.Type.ToString() != table.AttributeType(key))
            throw AwsException.Validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
        return v.Value;
    }
}
