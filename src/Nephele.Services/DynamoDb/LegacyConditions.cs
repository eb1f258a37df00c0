using Nephele.Core.Protocols;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// The legacy parameters (Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter) translated into
/// the same condition and update trees the expression languages produce.
/// </summary>
internal static class LegacyConditions
{
    public static Condition? Expected(Dictionary<string, object?> input) =>
        Conditions(input, "Expected", "ConditionExpression");

    public static Condition? Filter(Dictionary<string, object?> input, string member) =>
        Conditions(input, member, "FilterExpression");

    public static Condition? Conditions(Dictionary<string, object?> input, string member, string expressionMember)
    {
        if (input.GetValueOrDefault(member) is not Dictionary<string, object?> map) return null;
        if (input.GetString(expressionMember) is not null)
            throw AwsException.Validation($"Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{member}}} Expression parameters: {{{expressionMember}}}");
        var conditions = map.Select(kv => One(kv.Key, (Dictionary<string, object?>)kv.Value!)).ToList();
        if (conditions.Count == 0) return null;
        var or = input.GetString("ConditionalOperator") == "OR";
        return conditions.Skip(1).Aggregate(conditions[0], (a, b) => or ? new OrCondition(a, b) : new AndCondition(a, b));
    }

    private static Condition One(string name, Dictionary<string, object?> spec)
    {
        var path = new PathOperand(new DocumentPath([new PathElement(name, 0)]));
        var values = (spec.GetList("AttributeValueList") ?? []).Select(v => (Operand)new ValueOperand(AttributeValueWire.Read(v), "")).ToList();
        if (spec.GetValueOrDefault("Value") is { } single) values.Insert(0, new ValueOperand(AttributeValueWire.Read(single), ""));
        var op = spec.GetString("ComparisonOperator");
        if (op is null)
        {
            var exists = spec.GetBool("Exists") ?? true;
            if (!exists)
            {
                if (values.Count > 0)
                    throw AwsException.Validation($"One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: {name}");
                return new FunctionCondition("attribute_not_exists", [path]);
            }
            if (values.Count == 0)
                throw AwsException.Validation($"One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: {name}");
            return new CompareCondition("=", path, values[0]);
        }
        var expected = op switch
        {
            "NULL" or "NOT_NULL" => 0,
            "BETWEEN" => 2,
            "IN" => -1,
            _ => 1,
        };
        if ((expected >= 0 && values.Count != expected) || (expected < 0 && values.Count == 0))
            throw AwsException.Validation($"One or more parameter values were invalid: Invalid number of argument(s) for the {op} ComparisonOperator");
        return op switch
        {
            "EQ" => new CompareCondition("=", path, values[0]),
            "NE" => new CompareCondition("<>", path, values[0]),
            "LT" => new CompareCondition("<", path, values[0]),
            "LE" => new CompareCondition("<=", path, values[0]),
            "GT" => new CompareCondition(">", path, values[0]),
            "GE" => new CompareCondition(">=", path, values[0]),
            "NULL" => new FunctionCondition("attribute_not_exists", [path]),
            "NOT_NULL" => new FunctionCondition("attribute_exists", [path]),
            "CONTAINS" => new FunctionCondition("contains", [path, values[0]]),
            "NOT_CONTAINS" => new AndCondition(new FunctionCondition("attribute_exists", [path]), new NotCondition(new FunctionCondition("contains", [path, values[0]]))),
            "BEGINS_WITH" => new FunctionCondition("begins_with", [path, values[0]]),
            "IN" => new InCondition(path, values),
            "BETWEEN" => new BetweenCondition(path, values[0], values[1]),
            _ => throw AwsException.Validation($"1 validation error detected: Value '{op}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"),
        };
    }

    /// <summary>AttributeUpdates as update actions (PUT = SET, DELETE without a value = REMOVE).</summary>
    public static List<UpdateAction> AttributeUpdates(Dictionary<string, object?> input)
    {
        if (input.GetValueOrDefault("AttributeUpdates") is not Dictionary<string, object?> map) return [];
        if (input.GetString("UpdateExpression") is not null)
            throw AwsException.Validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}");
        var actions = new List<UpdateAction>();
        foreach (var (name, raw) in map)
        {
            var spec = (Dictionary<string, object?>)raw!;
            var path = new DocumentPath([new PathElement(name, 0)]);
            var value = spec.GetValueOrDefault("Value") is { } v ? new ValueOperand(AttributeValueWire.Read(v), "") : null;
            var action = spec.GetString("Action") ?? "PUT";
            actions.Add(action switch
            {
                "PUT" => new UpdateAction(UpdateActionKind.Set, path, value ?? throw AwsException.Validation($"One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified")),
                "DELETE" when value is null => new UpdateAction(UpdateActionKind.Remove, path, null),
                "DELETE" => new UpdateAction(UpdateActionKind.Delete, path, value),
                _ => new UpdateAction(UpdateActionKind.Add, path, value ?? throw AwsException.Validation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified")),
            });
        }
        return actions;
    }
}
