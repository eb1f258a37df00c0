using Nephele.Core.Protocols;
using Nephele.Services.DynamoDb.Expressions;

namespace Nephele.Services.DynamoDb;

/// <summary>Every expression of one request, parsed against its placeholders, with DynamoDB's cross-checks.</summary>
internal sealed class RequestExpressions
{
    public Condition? Condition { get; private init; }
    public Condition? Filter { get; private init; }
    public Condition? KeyCondition { get; private init; }
    public List<DocumentPath>? Projection { get; private init; }
    public List<UpdateAction>? Update { get; private init; }

    /// <param name="valuesNeed">which expressions could use values, for the error when none is given, e.g. "ConditionExpression is null".</param>
    public static RequestExpressions Parse(Dictionary<string, object?> input, string valuesNeed)
    {
        var attributes = new ExpressionAttributes(input);
        var condition = input.GetString("ConditionExpression");
        var filter = input.GetString("FilterExpression");
        var key = input.GetString("KeyConditionExpression");
        var projection = input.GetString("ProjectionExpression");
        var update = input.GetString("UpdateExpression");
        if (condition is null && filter is null && key is null && projection is null && update is null)
        {
            if (attributes.HasNames) throw AwsException.Validation("ExpressionAttributeNames can only be specified when using expressions");
            if (attributes.HasValues) throw AwsException.Validation($"ExpressionAttributeValues can only be specified when using expressions: {valuesNeed}");
        }
        var result = new RequestExpressions
        {
            KeyCondition = key is null ? null : ExpressionParser.ParseCondition(key, "KeyConditionExpression", attributes),
            Update = update is null ? null : ExpressionParser.ParseUpdate(update, attributes),
            Condition = condition is null ? null : ExpressionParser.ParseCondition(condition, "ConditionExpression", attributes),
            Filter = filter is null ? null : ExpressionParser.ParseCondition(filter, "FilterExpression", attributes),
            Projection = projection is null ? null : ExpressionParser.ParseProjection(projection, attributes),
        };
        attributes.EnsureAllUsed();
        return result;
    }

    /// <summary>The legacy AttributesToGet as a projection of top-level attributes, unless mixed with expressions.</summary>
    public List<DocumentPath>? ProjectionOrAttributesToGet(Dictionary<string, object?> input)
    {
        if (input.GetList("AttributesToGet") is not { } names) return Projection;
        if (Projection is not null)
            throw AwsException.Validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
        if (names.Count == 0) throw AwsException.Validation("1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1");
        if (names.Distinct().Count() != names.Count)
            throw AwsException.Validation($"One or more parameter values were invalid: Duplicate value in attribute name: {names.GroupBy(n => n).First(g => g.Count() > 1).Key}");
        return names.Select(n => new DocumentPath([new PathElement((string)n!, 0)])).ToList();
    }
}
